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
	return nil, fmt.Errorf("%s expects a list, got %s", what, typeName(v))
}

func asDict(v any, what string) (map[string]any, error) {
	if m, ok := v.(map[string]any); ok {
		return m, nil
	}
	return nil, fmt.Errorf("%s expects a dictionary, got %s", what, typeName(v))
}

// combine(*dicts, recursive=False, list_merge='replace'): later dicts win.
func filterCombine(c *call) (any, error) {
	recursive := truthy(c.kwargs["recursive"])
	listMerge := "replace"
	if s, ok := c.kwargs["list_merge"].(string); ok {
		listMerge = s
	}
	switch listMerge {
	case "replace", "keep", "append", "prepend", "append_rp", "prepend_rp":
	default:
		return nil, fmt.Errorf("'%s' is not a valid list_merge value", listMerge)
	}
	dicts := []any{c.in}
	for _, a := range c.args {
		if l, ok := a.([]any); ok { // combine accepts lists of dicts too
			dicts = append(dicts, l...)
		} else {
			dicts = append(dicts, a)
		}
	}
	out := map[string]any{}
	for _, d := range dicts {
		m, err := asDict(d, "combine")
		if err != nil {
			return nil, err
		}
		out = mergeDicts(out, m, recursive, listMerge)
	}
	return out, nil
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
	m, err := asDict(c.in, "dict2items")
	if err != nil {
		return nil, err
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
	kn, vn := "key", "value"
	if s, ok := c.kwargs["key_name"].(string); ok {
		kn = s
	}
	if s, ok := c.kwargs["value_name"].(string); ok {
		vn = s
	}
	return kn, vn
}

func filterItems2Dict(c *call) (any, error) {
	l, err := asList(c.in, "items2dict")
	if err != nil {
		return nil, err
	}
	kn, vn := keyValueNames(c)
	out := map[string]any{}
	var order []string
	defer func() { keyorder.Record(out, order) }()
	for _, e := range l {
		m, err := asDict(e, "items2dict")
		if err != nil {
			return nil, err
		}
		k, ok := m[kn]
		if !ok {
			return nil, fmt.Errorf("items2dict requires each item to have a '%s' key", kn)
		}
		v, ok := m[vn]
		if !ok {
			return nil, fmt.Errorf("items2dict requires each item to have a '%s' key", vn)
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

func number(v any) (float64, bool) {
	switch t := v.(type) {
	case int:
		return float64(t), true
	case float64:
		return t, true
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	}
	return 0, false
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

func twoLists(c *call, what string) ([]any, []any, error) {
	a, err := asList(c.in, what)
	if err != nil {
		return nil, nil, err
	}
	b, err := asList(c.arg(0, "b", nil), what)
	if err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func filterUnion(c *call) (any, error) {
	a, b, err := twoLists(c, "union")
	if err != nil {
		return nil, err
	}
	return uniqueList(append(append([]any{}, a...), b...)), nil
}

func filterDifference(c *call) (any, error) {
	a, b, err := twoLists(c, "difference")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, e := range uniqueList(a) {
		if !containsValue(b, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

func filterIntersect(c *call) (any, error) {
	a, b, err := twoLists(c, "intersect")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, e := range uniqueList(a) {
		if containsValue(b, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// flatten(levels=None, skip_nulls=True).
func filterFlatten(c *call) (any, error) {
	l, err := asList(c.in, "flatten")
	if err != nil {
		return nil, err
	}
	levels := -1
	if n, ok := c.arg(0, "levels", nil).(int); ok {
		levels = n
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
