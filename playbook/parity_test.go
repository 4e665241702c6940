package playbook

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorParityLive loads invalid playbooks with gossible and with the
// real ansible-playbook --syntax-check and compares the messages: the whole
// text where gossible points at the same place, else the ERROR! line.
func TestErrorParityLive(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs ansible-playbook once per case")
	}
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("needs ansible-playbook (apt-get install ansible): not installed")
	}
	tests := []struct {
		name  string
		whole bool // same position too
	}{
		{name: "syntax", whole: true},
		{name: "syntax2", whole: true},
		{name: "tab_indent", whole: false}, // Ansible adds its own tab advice text
		{name: "unclosed_quote", whole: true},
		{name: "notlist", whole: true},
		{name: "multi_document", whole: true},
		{name: "playstr", whole: true},
		{name: "varsbad", whole: true},
		{name: "varname", whole: true},
		{name: "tagsbad", whole: true},
		{name: "nomod", whole: true},
		{name: "unbalanced"}, // gossible points at the value, Ansible at the task
		{name: "misspell"},   // gossible points at the key, Ansible at the play
		{name: "badmod"},
		{name: "conflict"},
		{name: "misspelled_task_keyword"},
		{name: "blockbad"},
		{name: "loop2"},
		{name: "norole"}, // Ansible adds its default roles_path to the list
		{name: "user_and_remote_user"},
		{name: "emptyhosts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join("testdata", "invalid", tt.name+".yml")
			opts := testOptions()
			opts.RolesPath = []string{"/nonexistent"}
			_, err := Load(file, opts)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *Error, got %v", err)
			}
			got := pe.Error()
			if i := strings.Index(got, "\nHint: "); i >= 0 {
				got = got[:i]
			}
			cmd := exec.Command(bin, "--syntax-check", "-i", "localhost,", file)
			cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_ROLES_PATH=/nonexistent")
			out, _ := cmd.CombinedOutput()
			want := string(out)
			if i := strings.Index(want, "ERROR! "); i >= 0 {
				want = want[i:]
			}
			if !tt.whole {
				got, _, _ = strings.Cut(got, "\n")
				want, _, _ = strings.Cut(want, "\n")
			}
			if got != want {
				t.Errorf("differs from ansible-playbook:\n--- gossible ---\n%s\n--- ansible ---\n%s", got, want)
			}
		})
	}
}
