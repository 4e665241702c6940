package template

import "github.com/gossible/gossible/internal/keyorder"

// mapLeaves rebuilds v's lists and dicts, keeping key order, with f applied to every
// other value; the first error stops the walk. Marking, opening, sealing and rendering
// a variable's value are all this walk with a different leaf.
func mapLeaves(v any, f func(leaf any) (any, error)) (any, error) {
	switch t := v.(type) {
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			r, err := mapLeaves(e, f)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			r, err := mapLeaves(e, f)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		keyorder.CopyOrder(out, t)
		return out, nil
	}
	return f(v)
}

// mapLeavesPure is mapLeaves for a leaf function that cannot fail.
func mapLeavesPure(v any, f func(leaf any) any) any {
	out, _ := mapLeaves(v, func(leaf any) (any, error) { return f(leaf), nil })
	return out
}
