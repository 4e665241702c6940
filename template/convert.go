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
func toGo(v *exec.Value) any { return toGoTo(v, nil) }

// toGoChecked is toGo failing with the vault error or undefined item that data holds: a
// vaulted value that could not be opened fails where its data leaves gonja ({{ creds }},
// creds | to_json), as Ansible fails where it uses the value.
func toGoChecked(v *exec.Value) (any, error) {
	var bad error
	out := toGoTo(v, &bad)
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

func toGoTo(v *exec.Value, bad *error) any {
	if v == nil || v.IsNil() {
		return nil
	}
	return normalizeTo(v.Interface(), bad)
}

// normalize deep-converts any value met inside templates to plain Go data.
func normalize(x any) any { return normalizeTo(x, nil) }

// normalizeTo is normalize noting in *bad (when bad is not nil) the first vault error or
// undefined item met inside x.
func normalizeTo(x any, bad *error) any {
	switch t := x.(type) {
	case nil, bool, int, float64, string:
		return t
	case *exec.Value:
		return toGoTo(t, bad)
	case dictValue:
		return normalizeTo(map[string]any(t), bad)
	case listValue:
		return normalizeTo([]any(t), bad)
	case scopeValue:
		return t.s
	case *Scope:
		return t
	case UnsafeText:
		return string(t)
	case Vaulted:
		// not opened by a lookup (a filter's own data): opened here, a failure
		// travelling as the error value
		s, err := t.Decrypt()
		if err != nil {
			return noteVault(&VaultError{Err: err}, bad)
		}
		return s
	case *VaultError:
		return noteVault(t, bad)
	case *UndefinedError:
		// an undefined item of a list (map(attribute=) of a missing one): Jinja2 keeps
		// it, and fails where it is used
		return noteBad(t, bad)
	case error:
		return t
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeTo(e, bad)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalizeTo(e, bad)
		}
		keyorder.CopyOrder(out, t)
		return out
	case exec.ValuesList:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = toGoTo(e, bad)
		}
		return out
	case *exec.Dict:
		out := make(map[string]any, len(t.Pairs))
		keys := make([]string, 0, len(t.Pairs))
		for _, p := range t.Pairs {
			k := keyString(toGoTo(p.Key, bad))
			if _, dup := out[k]; !dup {
				keys = append(keys, k)
			}
			out[k] = toGoTo(p.Value, bad)
		}
		keyorder.Record(out, keys) // a {...} literal keeps its written order
		return out
	case exec.Dict:
		return normalizeTo(&t, bad)
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

// noteVault records ve in *bad if it is the first met; ve stays in the data as the
// error value it is.
func noteVault(ve *VaultError, bad *error) any { return noteBad(ve, bad) }

// noteBad records err in *bad if it is the first unusable value met; err stays in the
// data.
func noteBad(err error, bad *error) any {
	if bad != nil && *bad == nil {
		*bad = err
	}
	return err
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
	case timedeltaValue:
		return t.us != 0
	}
	return true
}

// pyStr formats v as Python's str() does.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if o, ok := v.(pyObject); ok {
		return o.pyStr()
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
	if o, ok := v.(pyObject); ok {
		return o.pyRepr(), true
	}
	n := normalize(v)
	if reflect.TypeOf(n) != reflect.TypeOf(v) {
		return pyRepr(n), true
	}
	return fmt.Sprint(v), true
}
