package playbook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestParseKVMatchesAnsible checks parseKV against outputs recorded from
// ansible-core 2.14's parse_kv (testdata/parse_kv_ansible.py regenerates).
func TestParseKVMatchesAnsible(t *testing.T) {
	data, err := os.ReadFile("testdata/parse_kv_ansible.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases [][4]any
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		in, raw := c[0].(string), c[1].(bool)
		t.Run(in, func(t *testing.T) {
			got, err := parseKV(in, raw)
			if c[3] != nil {
				if err == nil {
					t.Fatalf("want error %q, got %v", c[3], got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			want := c[2].(map[string]any)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseKV(%q, %v) = %#v, want %#v", in, raw, got, want)
			}
		})
	}
}

func TestSplitArgsUnbalanced(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "open quote", in: `src="a dest=b`},
		{name: "open jinja", in: `msg={{ x`},
		{name: "open block", in: `{% if x y`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := splitArgs(tt.in); err != errUnbalanced {
				t.Fatalf("splitArgs(%q) error = %v, want errUnbalanced", tt.in, err)
			}
		})
	}
}

// TestModuleArgsMatchAnsible checks the module, arguments and delegation
// of tasks against ansible-core 2.14's ModuleArgsParser, recorded by
// testdata/modargs_ansible.py.
func TestModuleArgsMatchAnsible(t *testing.T) {
	data, err := os.ReadFile("testdata/modargs_ansible.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases [][5]any
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		task := c[0].(string)
		t.Run(task, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("- hosts: all\n  tasks:\n")
			// Indent the task into a play; no newline after the last line,
			// as in the recorded case (it matters to literal blocks).
			for i, line := range strings.Split(task, "\n") {
				if i == 0 {
					b.WriteString("    - " + line)
				} else {
					b.WriteString("\n      " + line)
				}
			}
			dir := t.TempDir()
			write(t, dir, map[string]string{"p.yml": b.String()})
			pb, err := Load(filepath.Join(dir, "p.yml"), testOptions())
			if c[4] != nil {
				if err == nil {
					t.Fatalf("want error like %q", c[4])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := pb.Plays[0].Tasks[0]
			wantArgs := c[2].(map[string]any)
			gotArgs := got.Args
			if gotArgs == nil {
				gotArgs = map[string]any{}
			}
			if got.Module != c[1] || !reflect.DeepEqual(gotArgs, wantArgs) {
				t.Errorf("got %s %#v, want %s %#v", got.Module, gotArgs, c[1], wantArgs)
			}
			wantDelegate, _ := c[3].(string)
			if got.DelegateTo != wantDelegate {
				t.Errorf("delegate_to = %q, want %q", got.DelegateTo, wantDelegate)
			}
		})
	}
}
