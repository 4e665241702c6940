package template

import "github.com/gossible/gossible/internal/keyorder"

// OmitPlaceholder is the value of the `omit` variable. An argument that renders to it is
// dropped by the executor (see RemoveOmit), as Ansible does.
const OmitPlaceholder = "__omit_place_holder__gossible"

// IsOmit reports whether v is the omit placeholder.
func IsOmit(v any) bool {
	s, ok := v.(string)
	return ok && s == OmitPlaceholder
}

// RemoveOmit returns v without the map entries and list items that are the omit
// placeholder, recursively, as Ansible's remove_omit does for module arguments.
func RemoveOmit(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if !IsOmit(e) {
				out[k] = RemoveOmit(e)
			}
		}
		keyorder.CopyOrder(out, t)
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, e := range t {
			if !IsOmit(e) {
				out = append(out, RemoveOmit(e))
			}
		}
		return out
	}
	return v
}
