package template

import (
	"fmt"
	"os"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
)

// The lookups behind with_items, with_list, with_dict, with_indexed_items, with_nested,
// with_together, with_subelements, plus vars and env.

func init() {
	registerLookup(lookupItems, "items")
	registerLookup(lookupList, "list")
	registerLookup(lookupDict, "dict")
	registerLookup(lookupIndexed, "indexed_items")
	registerLookup(lookupNested, "nested")
	registerLookup(lookupTogether, "together")
	registerLookup(lookupSubelements, "subelements")
	registerLookup(lookupVars, "vars")
	registerLookup(lookupEnv, "env")
}

// flatten1 is LookupBase._flatten: list items are spliced in, one level only.
func flatten1(terms []any) []any {
	out := make([]any, 0, len(terms))
	for _, t := range terms {
		if l, ok := t.([]any); ok {
			out = append(out, l...)
		} else {
			out = append(out, t)
		}
	}
	return out
}

// listify is listify_lookup_plugin_terms for one term: templated, and a string or a
// scalar becomes a one-item list.
func (lc *lookupCtx) listify(v any) (any, error) {
	r, err := lc.e.renderPlain(v, lc.s, lc.chain)
	if err != nil {
		return nil, err
	}
	switch r.(type) {
	case []any, map[string]any:
		return r, nil
	}
	return []any{r}, nil
}

func lookupItems(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	return flatten1(terms), nil
}

func lookupList(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	return terms, nil
}

func lookupDict(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	var out []any
	for _, t := range terms {
		var m map[string]any
		switch d := t.(type) {
		case map[string]any:
			m = d
		case *Scope:
			m = map[string]any{}
			for _, n := range d.Names() {
				v, _, err := d.Lookup(n)
				if err != nil {
					return nil, err
				}
				m[n] = v
			}
		default:
			return nil, errf("with_dict expects a dict")
		}
		for _, k := range orderedKeys(m) {
			item := map[string]any{"key": k, "value": m[k]}
			keyorder.Record(item, []string{"key", "value"})
			out = append(out, item)
		}
	}
	return out, nil
}

func lookupIndexed(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	items := flatten1(terms)
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = []any{i, it}
	}
	return out, nil
}

// iterate is Python's iteration of a value: a list's items, a string's characters, a
// dict's keys.
func iterate(v any) ([]any, error) {
	switch t := v.(type) {
	case []any:
		return t, nil
	case string:
		out := []any{}
		for _, r := range t {
			out = append(out, string(r))
		}
		return out, nil
	case map[string]any:
		out := []any{}
		for _, k := range orderedKeys(t) {
			out = append(out, k)
		}
		return out, nil
	}
	return nil, fmt.Errorf("'%s' object is not iterable", typeName(v))
}

func lookupNested(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	lists := make([][]any, 0, len(terms))
	for _, t := range terms {
		l, err := lc.listify(t)
		if err != nil {
			if u := errorIn[*UndefinedError](err); u != nil {
				return nil, &undefinedErr{"One of the nested variables was undefined. The error was: " + u.Error()}
			}
			return nil, err
		}
		items, err := iterate(l)
		if err != nil {
			return nil, err
		}
		lists = append(lists, items)
	}
	if len(lists) == 0 {
		return nil, errf("with_nested requires at least one element in the nested list")
	}
	result := lists[0]
	for _, next := range lists[1:] {
		var comb []any
		for _, x := range result {
			for _, y := range next {
				comb = append(comb, flatten1([]any{x, y}))
			}
		}
		result = comb
	}
	out := make([]any, 0, len(result))
	for _, x := range result {
		items, err := iterate(x)
		if err != nil {
			return nil, err
		}
		out = append(out, flatten1(items))
	}
	return out, nil
}

func lookupTogether(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	lists := make([][]any, 0, len(terms))
	longest := 0
	for _, t := range terms {
		l, err := lc.listify(t)
		if err != nil {
			return nil, err
		}
		items, err := iterate(l)
		if err != nil {
			return nil, err
		}
		lists = append(lists, items)
		longest = max(longest, len(items))
	}
	if len(lists) == 0 {
		return nil, errf("with_together requires at least one element in each list")
	}
	out := make([]any, 0, longest)
	for i := 0; i < longest; i++ {
		row := make([]any, len(lists))
		for j, l := range lists {
			if i < len(l) {
				row[j] = l[i]
			}
		}
		out = append(out, flatten1(row))
	}
	return out, nil
}

func lookupSubelements(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	termsErr := func(msg string) error {
		return errf("subelements lookup expects a list of two or three items, %s", msg)
	}
	if len(terms) < 1 {
		return nil, termsErr("")
	}
	first, err := lc.listify(terms[0])
	if err != nil {
		return nil, err
	}
	if len(terms) < 2 || len(terms) > 3 {
		return nil, termsErr("")
	}
	key, ok := terms[1].(string)
	if _, isList := first.([]any); !ok || (!isList && !isMap(first)) {
		return nil, termsErr("first a dict or a list, second a string pointing to the subkey")
	}
	flags := map[string]any{}
	if len(terms) == 3 {
		f, ok := terms[2].(map[string]any)
		if !ok {
			return nil, termsErr("the optional third item must be a dict with flags ('skip_missing',)")
		}
		flags = f
	}
	skipMissing := truthy(flags["skip_missing"])
	if sm, ok := flags["skip_missing"].(string); ok {
		skipMissing = isTrueString(sm)
	}
	var elements []any
	if m, ok := first.(map[string]any); ok {
		if skipped, ok := m["skipped"]; ok && skipped != false {
			return []any{}, nil
		}
		for _, k := range orderedKeys(m) {
			elements = append(elements, m[k])
		}
	} else {
		elements = first.([]any)
	}
	subkeys := strings.Split(key, ".")
	var out []any
	for _, el := range elements {
		item0, ok := el.(map[string]any)
		if !ok {
			return nil, errf("subelements lookup expects a dictionary, got '%s'", pyStr(el))
		}
		if skipped, ok := item0["skipped"]; ok && skipped != false {
			continue
		}
		// Ansible pops the list out of (its copy of) the item: item.0 lacks the subkey
		item0 = deepCopyMap(item0)
		sub := item0
		var sublist []any
		for i, k := range subkeys {
			last := i == len(subkeys)-1
			v, ok := sub[k]
			if !ok {
				if skipMissing {
					continue
				}
				return nil, errf("could not find '%s' key in iterated item '%s'", k, pyStr(sub))
			}
			if !last {
				m, ok := v.(map[string]any)
				if !ok {
					if skipMissing {
						continue
					}
					return nil, errf("the key %s should point to a dictionary, got '%s'", k, pyStr(v))
				}
				sub = m
				continue
			}
			l, ok := v.([]any)
			if !ok {
				return nil, errf("the key %s should point to a list, got '%s'", k, pyStr(v))
			}
			sublist = l
			delete(sub, k)
		}
		for _, it := range sublist {
			out = append(out, []any{item0, it})
		}
	}
	return out, nil
}

func isMap(v any) bool { _, ok := v.(map[string]any); return ok }

func isTrueString(s string) bool {
	switch strings.ToLower(s) {
	case "y", "yes", "on", "1", "true", "t":
		return true
	}
	return false
}

func deepCopyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out[k] = deepCopyMap(sub)
		} else {
			out[k] = v
		}
	}
	keyorder.CopyOrder(out, m)
	return out
}

func lookupVars(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	def, hasDef := kw["default"]
	var out []any
	for _, t := range terms {
		name, ok := t.(string)
		if !ok {
			return nil, errf("Invalid setting identifier, \"%s\" is not a string, its a <class '%s'>", pyStr(t), typeName(t))
		}
		v, found, err := lc.s.lookupPlain(name, lc.chain)
		switch {
		case err != nil && errorIn[*UndefinedError](err) == nil:
			return nil, err
		case err != nil || !found:
			if hasDef && def != nil {
				out = append(out, def)
				continue
			}
			if err != nil {
				return nil, err
			}
			return nil, &undefinedErr{"No variable found with this name: " + name}
		}
		out = append(out, v)
	}
	return out, nil
}

func lookupEnv(_ *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	def, ok := kw["default"]
	if !ok {
		def = ""
	}
	var out []any
	for _, t := range terms {
		fields := strings.Fields(pyStr(t))
		if len(fields) == 0 {
			return nil, errf("list index out of range")
		}
		if v, ok := os.LookupEnv(fields[0]); ok {
			out = append(out, v)
		} else {
			out = append(out, def)
		}
	}
	return out, nil
}
