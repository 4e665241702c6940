package template

import (
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python methods on values (`s.strip()`, `l.index(x)`). gonja's set is kept, except the
// methods whose optional arguments it gets wrong ('a b'.split() fails there), which are
// replaced, plus list methods it lacks.

var strMethodNames = strings.Fields(`capitalize capwords casefold center count encode endswith
	expandtabs find format format_map isalnum isalpha isascii isdecimal isdigit islower
	isnumeric isprintable isspace istitle isupper join ljust lower lstrip partition
	removeprefix removesuffix replace rfind rjust rpartition rsplit rstrip split splitlines
	startswith strip swapcase title upper zfill`)

var listMethodNames = strings.Fields(`append reverse copy`)

func ansibleMethods() exec.Methods {
	m := builtins.Methods
	m.Str = mergeMethods(builtins.Methods.Str, strMethodNames, map[string]exec.Method[string]{
		"strip":  stripMethod(strings.Trim, strings.TrimSpace),
		"lstrip": stripMethod(strings.TrimLeft, func(s string) string { return strings.TrimLeft(s, " \t\n\r\f\v") }),
		"rstrip": stripMethod(strings.TrimRight, func(s string) string { return strings.TrimRight(s, " \t\n\r\f\v") }),
		"split":  splitMethod,
		"replace": func(self string, _ *exec.Value, a *exec.VarArgs) (any, error) {
			c := methodCall(self, a)
			old, err := c.str(0, "old", "")
			if err != nil {
				return nil, err
			}
			repl, err := c.str(1, "new", "")
			if err != nil {
				return nil, err
			}
			n, _ := c.arg(2, "count", -1).(int)
			return strings.Replace(self, old, repl, n), nil
		},
	})
	m.List = mergeMethods(builtins.Methods.List, listMethodNames, map[string]exec.Method[[]any]{
		"index": func(self []any, _ *exec.Value, a *exec.VarArgs) (any, error) {
			x := methodCall(self, a).arg(0, "x", nil)
			for i, e := range normalize(self).([]any) {
				if valueEqual(e, x) {
					return i, nil
				}
			}
			return nil, fmt.Errorf("%s is not in list", pyRepr(x))
		},
		"count": func(self []any, _ *exec.Value, a *exec.VarArgs) (any, error) {
			x := methodCall(self, a).arg(0, "x", nil)
			n := 0
			for _, e := range normalize(self).([]any) {
				if valueEqual(e, x) {
					n++
				}
			}
			return n, nil
		},
	})
	m.Dict = mergeMethods(builtins.Methods.Dict, dictMethodNames, map[string]exec.Method[map[string]any]{
		"keys":   dictView(func(k string, _ any) any { return k }),
		"values": dictView(func(_ string, v any) any { return v }),
		"items":  dictView(func(k string, v any) any { return []any{k, v} }),
		"copy": func(self map[string]any, selfValue *exec.Value, _ *exec.VarArgs) (any, error) {
			if m, ok := toGo(selfValue).(map[string]any); ok {
				return m, nil // toGo copies, keeping the order
			}
			return self, nil
		},
	})
	return m
}

var dictMethodNames = strings.Fields(`get pop setdefault update clear`)

// dictView is dict.keys/values/items in the dict's insertion order. gonja hands methods
// an unordered copy, so the order is taken from the value the method was called on.
func dictView(item func(k string, v any) any) exec.Method[map[string]any] {
	return func(self map[string]any, selfValue *exec.Value, a *exec.VarArgs) (any, error) {
		if len(a.Args) > 0 || len(a.KwArgs) > 0 {
			return nil, exec.ErrInvalidCall(fmt.Errorf("takes no arguments (%d given)", len(a.Args)+len(a.KwArgs)))
		}
		m, ok := toGo(selfValue).(map[string]any)
		if !ok {
			m = self
		}
		out := make([]any, 0, len(m))
		for _, k := range orderedKeys(m) {
			out = append(out, item(k, m[k]))
		}
		return out, nil
	}
}

func mergeMethods[I any](base *exec.MethodSet[I], names []string, overrides map[string]exec.Method[I]) *exec.MethodSet[I] {
	all := map[string]exec.Method[I]{}
	for _, n := range names {
		if fn, ok := base.Get(n); ok {
			all[n] = fn
		}
	}
	for n, fn := range overrides {
		all[n] = fn
	}
	return exec.NewMethodSet(all)
}

func methodCall(self any, a *exec.VarArgs) *call {
	c := &call{in: normalize(self), kwargs: map[string]any{}}
	for _, v := range a.Args {
		c.args = append(c.args, toGo(v))
	}
	for k, v := range a.KwArgs {
		c.kwargs[k] = toGo(v)
	}
	return c
}

// stripMethod is str.strip/lstrip/rstrip: whitespace without an argument, else the chars.
func stripMethod(cut func(string, string) string, space func(string) string) exec.Method[string] {
	return func(self string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		chars := methodCall(self, a).arg(0, "chars", nil)
		if chars == nil {
			return space(self), nil
		}
		s, ok := chars.(string)
		if !ok {
			return nil, fmt.Errorf("strip arg must be None or str")
		}
		return cut(self, s), nil
	}
}

func splitMethod(self string, _ *exec.Value, a *exec.VarArgs) (any, error) {
	c := methodCall(self, a)
	c.in = self
	return filterSplit(c)
}
