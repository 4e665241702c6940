package template

import (
	"github.com/nikolalohinski/gonja/v2/exec"
)

// gonja's built-in filters turn a value of the wrong kind into an empty result where
// Jinja2 fails (first of an int, length of None): each such filter's piped value is
// checked first and fails with Python's words.

type inputCheck func(in any) error

// scalar: a value Python cannot iterate; other kinds (gonja's range, objects) are left
// to the filter.
func scalar(in any) bool {
	switch in.(type) {
	case nil, bool, int, float64:
		return true
	}
	return false
}

func iterableInput(in any) error {
	if scalar(in) {
		return typeErrorf("'%s' object is not iterable", typeName(in))
	}
	return nil
}

func sizedInput(in any) error {
	if scalar(in) {
		return typeErrorf("object of type '%s' has no len()", typeName(in))
	}
	return nil
}

// emptyUndefined: Jinja2's first/last/min/max of an empty sequence is an undefined value
// with this hint, failing only where it is used.
func emptyUndefined(hint string, check inputCheck) inputCheck {
	return func(in any) error {
		if err := check(in); err != nil {
			return err
		}
		if n, ok := pyLen(in); ok && n == 0 {
			return &UndefinedError{Hint: hint}
		}
		return nil
	}
}

func pyLen(v any) (int, bool) {
	switch t := v.(type) {
	case []any:
		return len(t), true
	case string:
		return len([]rune(t)), true
	case map[string]any:
		return len(t), true
	}
	return 0, false
}

var inputChecks = map[string]inputCheck{
	"first": emptyUndefined("No first item, sequence was empty.", iterableInput),
	"last": emptyUndefined("No last item, sequence was empty.", func(in any) error {
		if iterableInput(in) != nil {
			return typeErrorf("'%s' object is not reversible", typeName(in))
		}
		return nil
	}),
	"min":     emptyUndefined("No aggregated item, sequence was empty.", iterableInput),
	"max":     emptyUndefined("No aggregated item, sequence was empty.", iterableInput),
	"length":  sizedInput,
	"count":   sizedInput,
	"join":    iterableInput,
	"list":    iterableInput,
	"batch":   iterableInput,
	"slice":   iterableInput,
	"sort":    iterableInput,
	"groupby": iterableInput,
	"sum":     iterableInput,
	"unique":  iterableInput,
	"flatten": iterableInput,
	"shuffle": nil,
	"reverse": func(in any) error {
		if iterableInput(in) != nil {
			return pyException("jinja2.exceptions.FilterArgumentError", "argument must be iterable")
		}
		return nil
	},
	"items": func(in any) error {
		if _, ok := in.(map[string]any); !ok && in != nil {
			return typeErrorf("Can only get item pairs from a mapping.")
		}
		return nil
	},
	"dictsort": func(in any) error {
		if _, ok := in.(map[string]any); !ok {
			return pyException("AttributeError", "'"+typeName(in)+"' object has no attribute 'items'")
		}
		return nil
	},
	"abs": func(in any) error {
		switch in.(type) {
		case int, float64, bool:
			return nil
		}
		return typeErrorf("bad operand type for abs(): '%s'", typeName(in))
	},
	"round": func(in any) error {
		switch in.(type) {
		case int, float64, bool:
			return nil
		}
		return typeErrorf("type %s doesn't define __round__ method", typeName(in))
	},
}

// checkInput is the piped-value check guardFilter runs before a filter; an undefined or
// failed input is left to the filter.
func checkInput(name string, in *exec.Value) error {
	check := inputChecks[name]
	if check == nil || in == nil || in.IsError() {
		return nil
	}
	err := check(toGo(in))
	if err == nil {
		return nil
	}
	if _, undef := err.(*UndefinedError); undef {
		return err
	}
	return &filterError{kind: "filter", name: name, err: err}
}
