package template

// with_flattened is community.general's flattened lookup, which Debian's
// ansible package ships: lists are flattened recursively, and a "None" or
// "null" string ends the terms.
func init() { registerLookup(lookupFlattened, "flattened", "community.general.flattened") }

func lookupFlattened(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	return flattenAll(terms), nil
}

func flattenAll(terms []any) []any {
	out := []any{}
	for _, t := range terms {
		if l, ok := t.([]any); ok && len(l) == 1 {
			if inner, ok := l[0].([]any); ok {
				t = inner
			}
		}
		if s, ok := t.(string); ok && (s == "None" || s == "null") {
			break
		}
		if l, ok := t.([]any); ok {
			out = append(out, flattenAll(l)...)
			continue
		}
		out = append(out, t)
	}
	return out
}
