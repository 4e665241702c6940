package template

import (
	"github.com/nikolalohinski/gonja/v2/exec"
)

// gonja's built-ins read an argument of the wrong type as its default (round('x') rounds
// to 0 places, center('x') centers nothing) where Jinja2's function fails using it. Each
// such filter's arguments are checked here first, failing with Python's words.

type argCheck func(c *call) error

// pyIndex fails as Python does where an int is needed (range, str.center, round's ndigits).
func pyIndex(v any) error {
	switch v.(type) {
	case int, bool:
		return nil
	}
	return typeErrorf("'%s' object cannot be interpreted as an integer", typeName(v))
}

// pyOrdered fails as Python's `v OP 0` does for a value that is not a number.
func pyOrdered(op string, v any) error {
	if _, ok := number(v); ok {
		return nil
	}
	return typeErrorf("'%s' not supported between instances of '%s' and 'int'", op, typeName(v))
}

// optional runs check on argument i (or keyword name) when it was given.
func optional(c *call, i int, name string, check func(any) error) error {
	if i < len(c.args) {
		return check(c.args[i])
	}
	if v, ok := c.kwargs[name]; ok {
		return check(v)
	}
	return nil
}

var argChecks = map[string]argCheck{
	"round": func(c *call) error {
		if err := optional(c, 0, "precision", pyIndex); err != nil {
			return err
		}
		return optional(c, 1, "method", func(v any) error {
			switch v {
			case "common", "ceil", "floor":
				return nil
			}
			return filterArgumentError("method must be common, ceil or floor")
		})
	},
	"center": func(c *call) error { return optional(c, 0, "width", pyIndex) },
	"wordwrap": func(c *call) error {
		return optional(c, 0, "width", func(v any) error { return pyOrdered("<=", v) })
	},
	"truncate": func(c *call) error {
		if err := optional(c, 0, "length", func(v any) error { return pyOrdered(">=", v) }); err != nil {
			return err
		}
		if err := optional(c, 2, "end", func(v any) error {
			if _, ok := v.(string); !ok {
				return typeErrorf("object of type '%s' has no len()", typeName(v))
			}
			return nil
		}); err != nil {
			return err
		}
		return optional(c, 3, "leeway", func(v any) error {
			if v == nil {
				return nil
			}
			return pyOrdered(">=", v)
		})
	},
	"slice": func(c *call) error {
		return optional(c, 0, "slices", func(v any) error {
			if _, ok := v.(int); ok {
				return nil
			}
			if _, ok := v.(bool); ok {
				return nil
			}
			return typeErrorf("unsupported operand type(s) for //: 'int' and '%s'", typeName(v))
		})
	},
}

// checkArgs is the argument check guardFilter runs before a gonja built-in.
func checkArgs(ev *exec.Evaluator, name string, in *exec.Value, params *exec.VarArgs) error {
	check := argChecks[name]
	if check == nil || params == nil {
		return nil
	}
	c := &call{kwargs: map[string]any{}, ev: ev}
	for _, a := range params.Args {
		c.args = append(c.args, toGo(a))
	}
	for k, a := range params.KwArgs {
		c.kwargs[k] = toGo(a)
	}
	if err := check(c); err != nil {
		return &filterError{kind: "filter", name: name, err: err}
	}
	return nil
}

func init() { registerFilter(filterFormat, "format") }

// format(*args, **kwargs) is Python's `value % args` (or `% kwargs`).
func filterFormat(c *call) (any, error) {
	if len(c.args) > 0 && len(c.kwargs) > 0 {
		return nil, filterArgumentError("can't handle positional and keyword arguments at the same time")
	}
	s, ok := c.in.(string)
	if !ok {
		s = pyStr(c.in)
	}
	var values any = c.args
	if len(c.kwargs) > 0 {
		values = c.kwargs
	}
	out, err := pyFormat(s, values)
	if err != nil {
		return nil, err
	}
	return out, nil
}
