package template

import (
	"fmt"
	"reflect"

	"github.com/gossible/gossible/internal/keyorder"
)

func init() {
	registerFilter(filterCombine, "combine")
	registerFilter(filterDict2Items, "dict2items")
	registerFilter(filterItems2Dict, "items2dict")
	registerFilter(filterUnique, "unique")
	registerFilter(filterUnion, "union")
	registerFilter(filterDifference, "difference")
	registerFilter(filterIntersect, "intersect")
	registerFilter(filterFlatten, "flatten")
}

func asList(v any, what string) ([]any, error) {
	switch t := v.(type) {
	case []any:
		return t, nil
	case string:
		out := make([]any, 0, len(t))
		for _, r := range t {
			out = append(out, string(r))
		}
		return out, nil
	case map[string]any:
		out := make([]any, 0, len(t))
		for _, k := range orderedKeys(t) {
			out = append(out, k)
		}
		return out, nil
	}
	return nil, typeErrorf("'%s' object is not iterable", typeName(v))
}

func asDict(v any, what string) (map[string]any, error) {
	if m, ok := v.(map[string]any); ok {
		return m, nil
	}
	return nil, fmt.Errorf("%s expects a dictionary, got %s", what, typeName(v))
}

// combine(*dicts, recursive=False, list_merge='replace'): later dicts win. The piped
// value and the arguments are flattened one level (lists of dicts), nulls dropped.
func filterCombine(c *call) (any, error) {
	for k := range c.kwargs {
		if k != "recursive" && k != "list_merge" {
			return nil, &plainError{"'recursive' and 'list_merge' are the only valid keyword arguments"}
		}
	}
	recursive := truthy(c.kwargs["recursive"])
	listMerge := "replace"
	if v, ok := c.kwargs["list_merge"]; ok {
		listMerge, _ = v.(string)
	}
	dicts := flatten(append([]any{c.in}, c.args...), 1, true)
	switch len(dicts) {
	case 0:
		return map[string]any{}, nil
	case 1:
		return dicts[0], nil
	}
	acc := dicts[0]
	for _, d := range dicts[1:] {
		a, aok := acc.(map[string]any)
		b, bok := d.(map[string]any)
		if !aok || !bok {
			ja, _ := dumpJSON(acc, -1, false)
			jb, _ := dumpJSON(d, -1, false)
			return nil, &plainError{fmt.Sprintf("failed to combine variables, expected dicts but got a '%s' and a '%s': \n%s\n%s", typeName(acc), typeName(d), ja, jb)}
		}
		switch listMerge {
		case "replace", "keep", "append", "prepend", "append_rp", "prepend_rp":
		default:
			return nil, &plainError{"merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'"}
		}
		acc = mergeDicts(a, b, recursive, listMerge)
	}
	return acc, nil
}

// mergeDicts is Ansible's merge_hash. The result's keys are in Python's dict.update order:
// a's keys where they were, then b's new ones in b's order.
func mergeDicts(a, b map[string]any, recursive bool, listMerge string) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	order := orderedKeys(a)
	for _, k := range orderedKeys(b) {
		if _, exists := a[k]; !exists {
			order = append(order, k)
		}
	}
	keyorder.Record(out, order) // Keys reads it lazily: later insertions are fine
	for k, bv := range b {
		av, exists := out[k]
		if !exists {
			out[k] = bv
			continue
		}
		am, aok := av.(map[string]any)
		bm, bok := bv.(map[string]any)
		if recursive && aok && bok {
			out[k] = mergeDicts(am, bm, recursive, listMerge)
			continue
		}
		al, alok := av.([]any)
		bl, blok := bv.([]any)
		if alok && blok {
			out[k] = mergeLists(al, bl, listMerge)
			continue
		}
		out[k] = bv
	}
	return out
}

func mergeLists(a, b []any, mode string) []any {
	without := func(x, drop []any) []any {
		var r []any
		for _, e := range x {
			if !containsValue(drop, e) {
				r = append(r, e)
			}
		}
		return r
	}
	switch mode {
	case "keep":
		return a
	case "append":
		return append(append([]any{}, a...), b...)
	case "prepend":
		return append(append([]any{}, b...), a...)
	case "append_rp":
		return append(without(a, b), b...)
	case "prepend_rp":
		return append(append([]any{}, b...), without(a, b)...)
	}
	return b
}

func filterDict2Items(c *call) (any, error) {
	m, ok := c.in.(map[string]any)
	if !ok {
		return nil, typeErrorf("dict2items requires a dictionary, got <class '%s'> instead.", typeName(c.in))
	}
	kn, vn := keyValueNames(c)
	out := make([]any, 0, len(m))
	for _, k := range orderedKeys(m) {
		item := map[string]any{kn: k, vn: m[k]}
		keyorder.Record(item, []string{kn, vn})
		out = append(out, item)
	}
	return out, nil
}

func keyValueNames(c *call) (string, string) {
	return keyString(c.arg(0, "key_name", "key")), keyString(c.arg(1, "value_name", "value"))
}

func filterItems2Dict(c *call) (any, error) {
	l, ok := c.in.([]any)
	if !ok {
		return nil, typeErrorf("items2dict requires a list, got <class '%s'> instead.", typeName(c.in))
	}
	kn, vn := keyValueNames(c)
	out := map[string]any{}
	var order []string
	defer func() { keyorder.Record(out, order) }()
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, typeErrorf("items2dict requires a list of dictionaries, got %s instead.", pyRepr(c.in))
		}
		k, kok := m[kn]
		v, vok := m[vn]
		if !kok || !vok {
			return nil, typeErrorf("items2dict requires each dictionary in the list to contain the keys '%s' and '%s', got %s instead.", kn, vn, pyRepr(c.in))
		}
		if hashable(k) != nil {
			return nil, typeErrorf("items2dict requires a list of dictionaries, got %s instead.", pyRepr(c.in))
		}
		if _, dup := out[keyString(k)]; !dup {
			order = append(order, keyString(k))
		}
		out[keyString(k)] = v
	}
	return out, nil
}

// valueEqual is Python's == on plain values (1 == 1.0, True == 1).
func valueEqual(a, b any) bool {
	if eq, ok := pyObjectEqual(a, b); ok {
		return eq
	}
	af, aNum := number(a)
	bf, bNum := number(b)
	if aNum && bNum {
		return af == bf
	}
	return reflect.DeepEqual(a, b)
}

// number is v as a Python number (an int, a bool or a float) in a float64.
func number(v any) (float64, bool) {
	if i, ok := intOperand(v); ok {
		return float64(i), true
	}
	f, ok := v.(float64)
	return f, ok
}

func containsValue(l []any, v any) bool {
	for _, e := range l {
		if valueEqual(e, v) {
			return true
		}
	}
	return false
}

func uniqueList(l []any) []any {
	out := []any{}
	for _, e := range l {
		if !containsValue(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func filterUnique(c *call) (any, error) {
	l, err := asList(c.in, "unique")
	if err != nil {
		return nil, err
	}
	return uniqueList(l), nil
}

// bothHashable: Ansible's set filters use Python sets when neither value is a list or
// dict, and list operations otherwise; the errors follow the path taken.
func bothHashable(a, b any) bool { return hashable(a) == nil && hashable(b) == nil }

func filterUnion(c *call) (any, error) {
	a, b := c.in, c.arg(0, "b", nil)
	if bothHashable(a, b) {
		la, err := pyIter(a)
		if err != nil {
			return nil, err
		}
		lb, err := pyIter(b)
		if err != nil {
			return nil, err
		}
		return uniqueList(append(la, lb...)), nil
	}
	sum, err := pyAdd(a, b)
	if err != nil {
		return nil, err
	}
	l, _ := sum.([]any)
	return uniqueList(l), nil
}

// members is the unique items of a that are (keep) or are not in b.
func members(a, b any, keep bool) ([]any, error) {
	if bothHashable(a, b) { // set(a) & set(b)
		for _, v := range []any{a, b} {
			if _, err := pyIter(v); err != nil {
				return nil, err
			}
		}
	}
	la, err := pyIter(a)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, e := range uniqueList(la) {
		in, err := pyContains(b, e)
		if err != nil {
			return nil, err
		}
		if in == keep {
			out = append(out, e)
		}
	}
	return out, nil
}

func filterDifference(c *call) (any, error) { return members(c.in, c.arg(0, "b", nil), false) }

func filterIntersect(c *call) (any, error) { return members(c.in, c.arg(0, "b", nil), true) }

// flatten(levels=None, skip_nulls=True).
func filterFlatten(c *call) (any, error) {
	l, err := asList(c.in, "flatten")
	if err != nil {
		return nil, err
	}
	levels := -1
	switch n := c.arg(0, "levels", nil).(type) {
	case nil:
	case int:
		levels = n
	case float64:
		levels = int(n) // Python counts it down from the float; whole floats do the same
	case bool:
		levels = 0
		if n {
			levels = 1
		}
	default:
		// compared with 1 where a nested list is met
		for _, e := range l {
			if _, nested := e.([]any); nested {
				return nil, pyOrdered(">=", n)
			}
		}
	}
	skipNulls := c.boolArg(1, "skip_nulls", true)
	return flatten(l, levels, skipNulls), nil
}

func flatten(l []any, levels int, skipNulls bool) []any {
	out := []any{}
	for _, e := range l {
		if skipNulls && (e == nil || e == "None" || e == "null") {
			continue
		}
		if sub, ok := e.([]any); ok && levels != 0 {
			out = append(out, flatten(sub, levels-1, skipNulls)...)
			continue
		}
		out = append(out, e)
	}
	return out
}

func init() { registerFilter(filterSum, "sum") }

// sum(attribute=None, start=0) is Jinja2's: Python's sum of the items (or of an attribute
// of each), so its failures are Python's.
func filterSum(c *call) (any, error) {
	l, err := pyIter(c.in)
	if err != nil {
		return nil, err
	}
	acc := c.arg(1, "start", 0)
	if _, ok := acc.(string); ok {
		return nil, typeErrorf("sum() can't sum strings [use ''.join(seq) instead]")
	}
	attr := c.arg(0, "attribute", nil)
	for _, v := range l {
		if attr != nil {
			name := pyStr(attr)
			got, ok := attrPath(v, name)
			if !ok {
				return nil, &UndefinedError{Object: typeName(v) + " object", Attr: name}
			}
			v = got
		}
		if acc, err = pyAdd(acc, v); err != nil {
			return nil, err
		}
	}
	return acc, nil
}
