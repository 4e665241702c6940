package e2e

import (
	"os"
	"reflect"
	"testing"
)

// TestParseOutput runs without Docker: the parser the cluster tests rely on
// must read Ansible's layout, colour codes included, and reject output
// without a recap.
func TestParseOutput(t *testing.T) {
	ansible, err := os.ReadFile("testdata/ansible-first-run.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		in        string
		wantErr   bool
		recap     map[string]counts
		task      string
		taskHosts map[string][]string
	}{
		{
			name: "ansible first run",
			in:   string(ansible),
			recap: map[string]counts{
				"10.100.194.201": {OK: 4, Changed: 3, Skipped: 1},
				"10.100.194.202": {OK: 5, Changed: 4},
				"10.100.194.203": {OK: 5, Changed: 4},
			},
			task: "consul : Has joined",
			taskHosts: map[string][]string{
				"10.100.194.201": {"skipping"},
				"10.100.194.202": {"changed"},
				"10.100.194.203": {"changed"},
			},
		},
		{
			name: "colour codes",
			in: "TASK [t] ***\n\x1b[0;33mchanged: [h1]\x1b[0m\n\nPLAY RECAP ***\n" +
				"\x1b[0;33mh1\x1b[0m                         : \x1b[0;32mok=2   \x1b[0m \x1b[0;33mchanged=1   \x1b[0m unreachable=0    failed=0    skipped=0    rescued=0    ignored=0   \n",
			recap:     map[string]counts{"h1": {OK: 2, Changed: 1}},
			task:      "t",
			taskHosts: map[string][]string{"h1": {"changed"}},
		},
		{name: "no recap", in: "PLAY [x] ***\nok: [h1]\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOutput(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseOutput: want an error, got %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseOutput: %v", err)
			}
			if !reflect.DeepEqual(got.Recap, tt.recap) {
				t.Errorf("recap:\n%s\nwant:\n%s", recapString(got.Recap), recapString(tt.recap))
			}
			if !reflect.DeepEqual(got.Tasks[tt.task], tt.taskHosts) {
				t.Errorf("task %q: %v, want %v", tt.task, got.Tasks[tt.task], tt.taskHosts)
			}
		})
	}
}
