package template

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

func init() {
	registerFilter(minMax(-1), "min")
	registerFilter(minMax(1), "max")
}

// pyCompare orders two values as Python's < does for the types templates meet.
func pyCompare(a, b any) (int, error) {
	if c, ok, err := pyObjectCompare(a, b); ok {
		return c, err
	}
	af, aNum := number(a)
	bf, bNum := number(b)
	switch {
	case aNum && bNum:
		switch {
		case af < bf:
			return -1, nil
		case af > bf:
			return 1, nil
		}
		return 0, nil
	}
	as, aStr := a.(string)
	bs, bStr := b.(string)
	if aStr && bStr {
		return strings.Compare(as, bs), nil
	}
	al, aList := a.([]any)
	bl, bList := b.([]any)
	if aList && bList {
		for i := 0; i < len(al) && i < len(bl); i++ {
			if c, err := pyCompare(al[i], bl[i]); err != nil || c != 0 {
				return c, err
			}
		}
		return pyCompare(len(al), len(bl))
	}
	return 0, typeErrorf("'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

// attrPath follows Jinja2's attribute= path ("a.b", "0") into v.
func attrPath(v any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			e, ok := t[part]
			if !ok {
				return nil, false
			}
			v = e
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// minMax is Jinja2's min/max(case_sensitive=False, attribute=None); sign -1 is min.
func minMax(sign int) func(c *call) (any, error) {
	return func(c *call) (any, error) {
		l, err := asList(c.in, "min/max")
		if err != nil {
			return nil, err
		}
		if len(l) == 0 {
			return nil, nil // Jinja2 returns an undefined value; it renders empty
		}
		attr, _ := c.kwargs["attribute"].(string)
		caseSensitive := truthy(c.kwargs["case_sensitive"])
		key := func(v any) any {
			if attr != "" {
				v, _ = attrPath(v, attr)
			}
			if s, ok := v.(string); ok && !caseSensitive {
				return strings.ToLower(s)
			}
			return v
		}
		best := l[0]
		for _, e := range l[1:] {
			cmp, err := pyCompare(key(e), key(best))
			if err != nil && sign > 0 && strings.HasPrefix(err.Error(), "'<' not supported") {
				return nil, typeErrorf("'>' not supported between instances of '%s' and '%s'", typeName(key(e)), typeName(key(best)))
			} else if err != nil {
				return nil, err
			}
			if cmp*sign > 0 {
				best = e
			}
		}
		return best, nil
	}
}

func init() {
	registerFilter(filterInt, "int")
	registerFilter(filterFloat, "float")
	registerFilter(filterDictSort, "dictsort")
}

// int(default=0, base=10) is Jinja2's: int(), else int(float()), else the default.
func filterInt(c *call) (any, error) {
	def := c.arg(0, "default", 0)
	base := 10
	if b, ok := c.arg(1, "base", 10).(int); ok {
		base = b
	}
	switch v := c.in.(type) {
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case int:
		return v, nil
	case float64:
		return int(v), nil
	case string:
		s := strings.ReplaceAll(strings.TrimSpace(v), "_", "")
		if base == 16 {
			s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
		}
		if n, err := strconv.ParseInt(s, base, 64); err == nil {
			return int(n), nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && base == 10 {
			return int(f), nil
		}
	}
	return def, nil
}

// float(default=0.0) is Jinja2's.
func filterFloat(c *call) (any, error) {
	def := c.arg(0, "default", 0.0)
	switch v := c.in.(type) {
	case bool:
		if v {
			return 1.0, nil
		}
		return 0.0, nil
	case int:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			return f, nil
		}
	}
	return def, nil
}

// dictsort(case_sensitive=False, by='key', reverse=False): the (key, value) pairs, sorted.
func filterDictSort(c *call) (any, error) {
	m, err := asDict(c.in, "dictsort")
	if err != nil {
		return nil, err
	}
	caseSensitive := c.boolArg(0, "case_sensitive", false)
	by, _ := c.arg(1, "by", "key").(string)
	reverse := c.boolArg(2, "reverse", false)
	pairs := make([]any, 0, len(m))
	for _, k := range sortedKeys(m) {
		pairs = append(pairs, []any{k, m[k]})
	}
	idx := 0
	if by == "value" {
		idx = 1
	} else if by != "key" {
		return nil, fmt.Errorf("you can only sort by either 'key' or 'value'")
	}
	key := func(p any) any {
		v := p.([]any)[idx]
		if s, ok := v.(string); ok && !caseSensitive {
			return strings.ToLower(s)
		}
		return v
	}
	var sortErr error
	sort.SliceStable(pairs, func(i, j int) bool {
		c, err := pyCompare(key(pairs[i]), key(pairs[j]))
		if err != nil {
			sortErr = err
		}
		if reverse {
			return c > 0
		}
		return c < 0
	})
	return pairs, sortErr
}
