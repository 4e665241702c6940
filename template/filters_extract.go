package template

import (
	"fmt"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
)

func init() {
	registerFilter(filterSymmetricDifference, "symmetric_difference")
	registerFilter(filterSubelements, "subelements")
	registerFilter(filterExtract, "extract")
	registerFilter(filterRekeyOnMember, "rekey_on_member")
}

// symmetric_difference(b): the items of the union that are not in both lists.
func filterSymmetricDifference(c *call) (any, error) {
	if err := c.sig("symmetric_difference", []string{"b"}); err != nil {
		return nil, err
	}
	// Ansible's is difference(union(a, b), intersect(a, b)), the intersection first
	both, err := members(c.in, c.arg(0, "b", nil), true)
	if err != nil {
		return nil, err
	}
	all, err := filterUnion(c)
	if err != nil {
		return nil, err
	}
	return members(all, both, false)
}

// subelements(subelements, skip_missing=False): (item, subitem) pairs for each item of a
// list (or a dict's values) and each element of the list found at the dotted path.
func filterSubelements(c *call) (any, error) {
	if err := c.sig("subelements", []string{"subelements"}, "skip_missing"); err != nil {
		return nil, err
	}
	items, ok := listOrDictValues(c.in)
	if !ok {
		return nil, &plainError{"obj must be a list of dicts or a nested dict"}
	}
	var path []any
	switch p := c.arg(0, "subelements", nil).(type) {
	case []any:
		path = p
	case string:
		for _, s := range strings.Split(p, ".") {
			path = append(path, s)
		}
	default:
		return nil, typeErrorf("subelements must be a list or a string")
	}
	skip := c.boolArg(1, "skip_missing", false)
	out := []any{}
	for _, item := range items {
		values := item
		for _, key := range path {
			m, ok := values.(map[string]any)
			if !ok {
				return nil, typeErrorf("the key %s should point to a dictionary, got '%s'", pyStr(key), pyStr(values))
			}
			v, found := m[keyString(key)]
			if !found {
				if skip {
					values = []any{}
					break
				}
				return nil, &plainError{fmt.Sprintf("could not find %s key in iterated item %s", pyRepr(key), pyRepr(values))}
			}
			values = v
		}
		l, ok := values.([]any)
		if !ok {
			return nil, typeErrorf("the key %s should point to a list, got %s", pyRepr(path[len(path)-1]), pyRepr(values))
		}
		for _, v := range l {
			out = append(out, []any{item, v})
		}
	}
	return out, nil
}

// extract(container, morekeys=None): container[item], then [k] for each of morekeys; a
// missing key is undefined, as Jinja2's getitem makes it.
func filterExtract(c *call) (any, error) {
	if err := c.sig("extract", []string{"container"}, "morekeys"); err != nil {
		return nil, err
	}
	keys := []any{c.in}
	switch m := c.arg(1, "morekeys", nil).(type) {
	case nil:
	case []any:
		keys = append(keys, m...)
	default:
		keys = append(keys, m)
	}
	v := c.arg(0, "container", nil)
	for _, k := range keys {
		next, err := getItem(v, k)
		if err != nil {
			return nil, err
		}
		v = next
	}
	return v, nil
}

// getItem is Jinja2's environment.getitem: obj[key], or an undefined value.
func getItem(obj, key any) (any, error) {
	switch o := obj.(type) {
	case map[string]any:
		if v, ok := o[keyString(key)]; ok {
			return v, nil
		}
		return nil, &UndefinedError{Object: "dict object", Attr: pyStr(key)}
	case []any:
		if i, ok := key.(int); ok {
			if i < 0 {
				i += len(o)
			}
			if i >= 0 && i < len(o) {
				return o[i], nil
			}
			return nil, &UndefinedError{Object: "list object", Index: &i}
		}
		return nil, &UndefinedError{Object: "list object", Attr: pyStr(key)}
	case *Scope:
		if k, ok := key.(string); ok {
			if v, ok, err := o.lookup(k, nil); err != nil || ok {
				return v, err
			}
		}
		return nil, &UndefinedError{Object: "HostVarsVars object", Attr: pyStr(key)}
	case string:
		if i, ok := key.(int); ok {
			r := []rune(o)
			if i < 0 {
				i += len(r)
			}
			if i >= 0 && i < len(r) {
				return string(r[i]), nil
			}
		}
	case nil:
		if i, ok := key.(int); ok {
			return nil, &UndefinedError{Object: "None", Index: &i}
		}
		return nil, &UndefinedError{Object: "None", Attr: pyStr(key)}
	}
	if i, ok := key.(int); ok {
		return nil, &UndefinedError{Object: typeName(obj) + " object", Index: &i}
	}
	return nil, &UndefinedError{Object: typeName(obj) + " object", Attr: pyStr(key)}
}

// rekey_on_member(key, duplicates='error'): a dict of the items (a list's, or a dict's
// values) keyed by their member key.
func filterRekeyOnMember(c *call) (any, error) {
	if err := c.sig("rekey_on_member", []string{"key"}, "duplicates"); err != nil {
		return nil, err
	}
	dup := pyStr(c.arg(1, "duplicates", "error"))
	if dup != "error" && dup != "overwrite" {
		return nil, &plainError{"duplicates parameter to rekey_on_member has unknown value: " + dup}
	}
	items, ok := listOrDictValues(c.in)
	if !ok {
		return nil, typeErrorf("Type is not a valid list, set, or dict")
	}
	key := c.arg(0, "key", nil)
	out := map[string]any{}
	var order []string
	for _, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, typeErrorf("List item is not a valid dict")
		}
		k, found := m[keyString(key)]
		if !found {
			return nil, &plainError{"Key " + pyStr(key) + " was not found"}
		}
		ks := keyString(k)
		if prev, seen := out[ks]; seen && truthy(prev) {
			if dup == "error" {
				return nil, &plainError{"Key " + pyStr(k) + " is not unique, cannot correctly turn into dict"}
			}
		} else if !seen {
			order = append(order, ks)
		}
		out[ks] = item
	}
	keyorder.Record(out, order)
	return out, nil
}

// listOrDictValues is a list's items or a dict's values in order; ok is false for
// anything else.
func listOrDictValues(v any) (items []any, ok bool) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range orderedKeys(v) {
			items = append(items, v[k])
		}
		return items, true
	case []any:
		return v, true
	}
	return nil, false
}
