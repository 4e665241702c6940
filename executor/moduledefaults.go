package executor

import (
	"fmt"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/template"
)

// withModuleDefaults merges the task's module_defaults for its module
// (fqcn) under its rendered arguments: the task's own arguments win. The
// defaults are the play's mappings, then the enclosing blocks' and the
// task's, merged by module: the nearest mapping naming a module replaces
// its whole entry, as Ansible's dict update does. Like Ansible, the whole
// merged mapping is rendered, not only this module's entry.
func (r *runner) withModuleDefaults(pc *playCtx, n *node, fqcn string, args map[string]any, sc *template.Scope) (map[string]any, error) {
	merged := map[string]any{}
	add := func(mappings []map[string]any) {
		for _, m := range mappings {
			// In written order: of two names for one module, the later wins.
			for _, k := range keyorder.Keys(m) {
				// Short names and FQCNs name the same module.
				name := k
				if info, ok := modules.Lookup(k); ok {
					name = info.Name
				}
				merged[name] = m[k]
			}
		}
	}
	add(pc.play.ModuleDefaults)
	for _, t := range n.chain() {
		add(t.ModuleDefaults)
	}
	if len(merged) == 0 {
		return args, nil
	}
	rendered, err := r.engine.Render(merged, sc)
	if err == nil {
		rendered, err = template.Plain(rendered)
	}
	if err != nil {
		return nil, fmt.Errorf("templating module_defaults: %w", err)
	}
	entry, ok := rendered.(map[string]any)[fqcn]
	if !ok || entry == nil {
		return args, nil
	}
	defaults, ok := entry.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the module_defaults of %s must be a dictionary of arguments, got %v", fqcn, entry)
	}
	out := make(map[string]any, len(defaults)+len(args))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range args {
		out[k] = v
	}
	return out, nil
}
