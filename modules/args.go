package modules

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// decodeArgs fills dst (a pointer to a struct) from a task's args the way
// Ansible's argument spec does: each field names its parameter in an `arg`
// tag ("name,alias1,alias2"); unknown keys fail with Ansible's message;
// values are coerced to the field's type (bool from yes/no/true/false/1/0,
// int from numeric strings, list from a comma-separated string). Pointer
// fields stay nil when the parameter is absent or null, so "unset" and
// "empty" differ (copy's content: "" is a real value). Fields of type any
// take the value as given (Ansible's raw type, used for mode). The fields
// of an embedded struct (fileCommon) are parameters as the others are.
//
// The returned error's text is the task's failure message.
func decodeArgs(module string, args map[string]any, dst any) error {
	rv := reflect.ValueOf(dst).Elem()
	fields := argFields(rv.Type(), nil)
	byName := map[string]int{}
	var primary, aliases []string
	for i, f := range fields {
		// hide:"1" accepts a parameter Ansible's action plugin consumes
		// before the module (so the module's list does not show it).
		if !f.hide {
			primary = append(primary, f.names[0])
			aliases = append(aliases, f.names[1:]...)
		}
		for _, n := range f.names {
			byName[n] = i
		}
	}
	var unknown []string
	for k := range args {
		if _, ok := byName[k]; !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("Unsupported parameters for (%s) module: %s. Supported parameters include: %s.",
			module, strings.Join(unknown, ", "), supportedList(primary, aliases))
	}
	// Ansible refuses a parameter given under two of its names only when the
	// values differ; it then keeps the last. Keep the primary name's value.
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	isPrimary := func(k string) bool { return fields[byName[k]].names[0] == k }
	sort.Slice(keys, func(a, b int) bool {
		return isPrimary(keys[a]) && !isPrimary(keys[b])
	})
	seen := map[int]bool{}
	for _, k := range keys {
		i := byName[k]
		if seen[i] {
			continue
		}
		seen[i] = true
		v := args[k]
		if v == nil {
			continue
		}
		fv := rv.FieldByIndex(fields[i].index)
		if err := setArg(fv, v); err != nil {
			return fmt.Errorf("argument '%s' is of type %s and we were unable to convert to %s: %v",
				fields[i].names[0], pyType(v), pyTypeName(fv.Type()), err)
		}
	}
	return nil
}

// argField is one parameter of an args struct: where its field is (a
// reflect index path, through embedded structs) and its names, primary
// first.
type argField struct {
	index []int
	names []string
	hide  bool
}

// argFields lists the `arg`-tagged fields of struct type rt in order, those
// of embedded (anonymous) struct fields in place of the embedded field, so
// shared argument sets such as fileCommon are declared once.
func argFields(rt reflect.Type, prefix []int) []argField {
	var out []argField
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag := f.Tag.Get("arg")
		if tag == "" {
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				out = append(out, argFields(f.Type, index)...)
			}
			continue
		}
		out = append(out, argField{index: index, names: strings.Split(tag, ","), hide: f.Tag.Get("hide") != ""})
	}
	return out
}

// supportedList renders "a, b, c (alias1, alias2)" as Ansible does.
func supportedList(primary, aliases []string) string {
	p := append([]string(nil), primary...)
	sort.Strings(p)
	s := strings.Join(p, ", ")
	if len(aliases) > 0 {
		a := append([]string(nil), aliases...)
		sort.Strings(a)
		s += " (" + strings.Join(a, ", ") + ")"
	}
	return s
}

func setArg(f reflect.Value, v any) error {
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := setArg(p.Elem(), v); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		s, err := toStr(v)
		if err != nil {
			return err
		}
		f.SetString(s)
	case reflect.Bool:
		b, err := toBool(v)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case reflect.Int:
		n, err := toInt(v)
		if err != nil {
			return err
		}
		f.SetInt(int64(n))
	case reflect.Slice:
		l, err := toStrList(v)
		if err != nil {
			return err
		}
		f.Set(reflect.ValueOf(l))
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("dictionary requested, could not parse JSON or key=value")
		}
		f.Set(reflect.ValueOf(m))
	case reflect.Interface:
		f.Set(reflect.ValueOf(v))
	default:
		return fmt.Errorf("unsupported field kind %s", f.Kind())
	}
	return nil
}

// toStr converts scalars to text as Ansible does for str parameters.
func toStr(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		if x {
			return "True", nil
		}
		return "False", nil
	case int, int64, int32, uint64, uint:
		return fmt.Sprint(x), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("'%v' is not a string", v)
}

var boolTrue = map[string]bool{"y": true, "yes": true, "on": true, "1": true, "true": true, "t": true, "1.0": true}
var boolFalse = map[string]bool{"n": true, "no": true, "off": true, "0": true, "false": true, "f": true, "0.0": true}

// toBool follows Ansible's boolean(): the listed strings, any case, and 0/1.
func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case float64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		s := strings.ToLower(strings.TrimSpace(x))
		if boolTrue[s] {
			return true, nil
		}
		if boolFalse[s] {
			return false, nil
		}
	}
	return false, fmt.Errorf("The value '%v' is not a valid boolean.  Valid booleans include: 0, 'on', 'f', 'false', 1, 'no', 'n', '1', '0', 't', 'y', 'off', 'yes', 'true'", v)
}

func toInt(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case float64:
		if x == math.Trunc(x) {
			return int(x), nil
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("invalid literal for int() with base 10: '%v'", v)
}

// toStrList accepts a list, or a comma-separated string as Ansible does.
func toStrList(v any) ([]string, error) {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, err := toStr(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case []string:
		return x, nil
	case string:
		if x == "" {
			return []string{}, nil
		}
		return strings.Split(x, ","), nil
	case int, float64, bool:
		s, _ := toStr(x)
		return []string{s}, nil
	}
	return nil, fmt.Errorf("'%v' cannot be converted to a list", v)
}

// pyType names a value's type as Python would print it in Ansible's message.
func pyType(v any) string {
	switch v.(type) {
	case string:
		return "<class 'str'>"
	case bool:
		return "<class 'bool'>"
	case int, int64:
		return "<class 'int'>"
	case float64:
		return "<class 'float'>"
	case []any:
		return "<class 'list'>"
	case map[string]any:
		return "<class 'dict'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

func pyTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "str"
	case reflect.Bool:
		return "bool"
	case reflect.Int:
		return "int"
	case reflect.Slice:
		return "list"
	case reflect.Map:
		return "dict"
	}
	return "raw"
}
