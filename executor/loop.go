package executor

import (
	"fmt"

	"github.com/gossible/gossible/template"
)

// bareVarDeprecation is worded as Ansible 1.9's warning for the bare
// variable form, which gossible keeps as a compatibility extension.
const bareVarDeprecation = "Using bare variables in with_items is a gossible compatibility extension " +
	"(ansible-core 2.14 loops over the literal string instead). Using bare variables is deprecated. " +
	"Update your playbooks so that the loop uses the full variable syntax ('{{ %s }}'). " +
	"This feature will be removed in a future release. Deprecation warnings can be disabled by setting " +
	"deprecation_warnings=False in ansible.cfg."

// loopItems returns the task's loop items; isLoop is false for a task
// without a loop.
//
// deprecated reports a deprecation through the run's serialised events.
func (r *runner) loopItems(pc *playCtx, n *node, sc *template.Scope, deprecated func(string)) (items []any, isLoop bool, err error) {
	t := n.task
	var v any
	if t.LoopBareVar != "" {
		name := t.LoopBareVar
		if !sc.Has(name) {
			// ansible-core 2.14 loops over the name itself.
			return []any{name}, true, nil
		}
		if v, _, err = sc.Lookup(name); err != nil {
			return nil, true, err
		}
		deprecated(fmt.Sprintf(bareVarDeprecation, name))
	} else {
		if t.Loop == nil && t.LoopKind == "" {
			return nil, false, nil
		}
		// loop: items keep the unsafe marks of what they were templated from
		if v, err = r.engine.RenderMarked(t.Loop, sc); err != nil {
			return nil, true, err
		}
		v = template.RemoveOmit(v)
	}
	if t.LoopKind == "loop" {
		items, err = r.lookupItems(sc, t.LoopKind, v)
		return items, true, err
	}
	// with_<lookup>: the plugin reads plain terms, and Ansible marks every
	// item it returns unsafe (wrap_var in the task executor).
	if v, err = template.Plain(v); err != nil {
		return nil, true, err
	}
	if items, err = r.lookupItems(sc, t.LoopKind, v); err != nil {
		return nil, true, err
	}
	for i, item := range items {
		items[i] = template.MarkUnsafe(item)
	}
	return items, true, nil
}

// flattenOnce is with_items' one-level flattening; a scalar is a
// one-item list.
func flattenOnce(v any) []any {
	l, ok := v.([]any)
	if !ok {
		if v == nil {
			return []any{}
		}
		return []any{v}
	}
	var out []any
	for _, e := range l {
		if sub, ok := e.([]any); ok {
			out = append(out, sub...)
			continue
		}
		out = append(out, e)
	}
	if out == nil {
		out = []any{}
	}
	return out
}
