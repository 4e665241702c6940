package executor

import (
	"fmt"

	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/template"
)

// lookupItems turns the loop's rendered value into items: loop: takes a list
// as it is; with_<name> runs the lookup plugin of that name over the value
// as its terms, as Ansible does (the template package implements the
// plugins and is checked against ansible-core).
func (r *runner) lookupItems(sc *template.Scope, kind string, v any) ([]any, error) {
	if kind == "loop" {
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("Invalid data passed to 'loop', it requires a list, got this instead: %s. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.", pyfmt.Str(v))
		}
		return l, nil
	}
	terms, ok := v.([]any)
	if !ok {
		terms = []any{v}
		if v == nil {
			terms = []any{}
		}
	}
	return r.engine.Lookup(kind, terms, nil, sc)
}
