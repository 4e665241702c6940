package executor_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	defaultcb "github.com/gossible/gossible/output/default"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
)

// TestVarsPromptInteractive runs vars_prompt with a Prompt function (the
// terminal path the differential suite cannot record).
func TestVarsPromptInteractive(t *testing.T) {
	play := `- hosts: localhost
  gather_facts: false
  vars_prompt:
    - name: who
      prompt: Who
      default: bob
    - name: what
      prompt: What
    - name: skipped
      prompt: Never asked
  tasks:
    - debug: msg="[{{ who }}] [{{ what }}] [{{ skipped }}]"
`
	tests := []struct {
		name    string
		answers map[string]string
		want    string
	}{
		{name: "answers", answers: map[string]string{"Who": "ann", "What": "x"}, want: `"msg": "[ann] [x] [extra]"`},
		{name: "empty takes the default", answers: map[string]string{"Who": "", "What": ""}, want: `"msg": "[bob] [] [extra]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "play.yml")
			if err := os.WriteFile(path, []byte(play), 0o644); err != nil {
				t.Fatal(err)
			}
			inv, err := inventory.Load([]string{"localhost,"})
			if err != nil {
				t.Fatal(err)
			}
			pb, err := playbook.Load(path, playbook.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var asked []string
			var out, errb bytes.Buffer
			_, err = executor.Run(context.Background(), []*playbook.Playbook{pb}, executor.Options{
				Inventory:  inv,
				Connection: "local",
				Callback:   defaultcb.New(display.New(&out, &errb, false), 0),
				ExtraVars:  map[string]any{"skipped": "extra"},
				Prompt: func(vp playbook.VarPrompt) (string, error) {
					asked = append(asked, vp.Prompt)
					return tt.answers[vp.Prompt], nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(asked, ",") != "Who,What" {
				t.Errorf("asked %v, want Who,What (an extra var skips its prompt)", asked)
			}
			if !strings.Contains(out.String(), tt.want) {
				t.Errorf("output lacks %s:\n%s", tt.want, out.String())
			}
			if strings.Contains(errb.String(), "Not prompting") {
				t.Errorf("warned about non-interactive mode: %s", errb.String())
			}
		})
	}
}
