package executor

import (
	"fmt"
	"maps"

	"github.com/gossible/gossible/playbook"
)

// promptVars sets the play's vars_prompt variables as play vars: an extra
// var of the same name skips the prompt; without a terminal (no
// Options.Prompt) each takes its default, as Ansible's do_var_prompt.
func (r *runner) promptVars(play *playbook.Play) error {
	if len(play.VarsPrompt) == 0 {
		return nil
	}
	vars := maps.Clone(play.Vars)
	if vars == nil {
		vars = map[string]any{}
	}
	for _, vp := range play.VarsPrompt {
		if _, ok := r.opts.ExtraVars[vp.Name]; ok {
			continue
		}
		if r.opts.Prompt == nil {
			r.warnOnce("Not prompting as we are not in interactive mode")
			vars[vp.Name] = vp.Default
			continue
		}
		v, err := r.opts.Prompt(vp)
		if err != nil {
			return fatalf("%s", fmt.Sprintf("prompting for %s: %v", vp.Name, err))
		}
		if v == "" && vp.HasDefault {
			v = vp.Default
		}
		vars[vp.Name] = v
	}
	play.Vars = vars
	return nil
}
