package template

import (
	"fmt"
	"reflect"

	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/internal/pyfmt"
)

// toGo converts a gonja value to plain Go data: nil, bool, int, float64, string, []any,
// map[string]any (or *Scope for hostvars entries).
func toGo(v *exec.Value) any {
	if v == nil || v.IsNil() {
		return nil
	}
	return normalize(v.Interface())
}

// normalize deep-converts any value met inside templates to plain Go data.
func normalize(x any) any {
	switch t := x.(type) {
	case nil, bool, int, float64, string:
		return t
	case *exec.Value:
		return toGo(t)
	case dictValue:
		return normalize(map[string]any(t))
	case listValue:
		return normalize([]any(t))
	case scopeValue:
		return t.s
	case *Scope:
		return t
	case Vaulted, *VaultError:
		return mustOpen(t)
	case Unsafe:
		return normalize(t.V)
	case error:
		return t
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		keyorder.CopyOrder(out, t)
		return out
	case exec.ValuesList:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = toGo(e)
		}
		return out
	case *exec.Dict:
		out := make(map[string]any, len(t.Pairs))
		keys := make([]string, 0, len(t.Pairs))
		for _, p := range t.Pairs {
			k := keyString(toGo(p.Key))
			if _, dup := out[k]; !dup {
				keys = append(keys, k)
			}
			out[k] = toGo(p.Value)
		}
		keyorder.Record(out, keys) // a {...} literal keeps its written order
		return out
	case exec.Dict:
		return normalize(&t)
	}
	rv := reflect.ValueOf(x)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out[keyString(normalize(it.Key().Interface()))] = normalize(it.Value().Interface())
		}
		return out
	case reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return normalize(rv.Elem().Interface())
	}
	return x
}

// keyString turns a dict key into the string key Go maps here use.
func keyString(k any) string {
	if s, ok := k.(string); ok {
		return s
	}
	return pyStr(k)
}

// truthy is Python's truth value.
func truthy(v any) bool {
	switch t := normalize(v).(type) {
	case nil:
		return false
	case bool:
		return t
	case int:
		return t != 0
	case float64:
		return t != 0
	case string:
		return t != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// pyStr formats v as Python's str() does.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// outputStr formats a {{ }} value as Ansible writes it: str(), except that None is the empty string
// (the Templar's finalize hook).
func outputStr(v any) string {
	if v == nil {
		return ""
	}
	return pyStr(v)
}

// pyRepr formats v as Python's repr() does. Dict keys come out in their recorded order
// (see internal/keyorder), as Python dicts keep insertion order.
func pyRepr(v any) string { return pyfmt.ReprWith(v, reprTemplateValue) }

// reprTemplateValue is repr of the template's own value types (gonja values, hostvars
// scopes): plain data after normalize, else Go's default form.
func reprTemplateValue(v any) (string, bool) {
	if _, ok := v.(*Scope); ok {
		return "HostVarsVars", true
	}
	n := normalize(v)
	if reflect.TypeOf(n) != reflect.TypeOf(v) {
		return pyRepr(n), true
	}
	return fmt.Sprint(v), true
}
