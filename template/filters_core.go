package template

import (
	"fmt"
	"strings"
)

func init() {
	registerUndefinedFilter(filterDefault, "default", "d")
	registerUndefinedFilter(filterMandatory, "mandatory")
	registerFilter(filterBool, "bool")
	registerStringFilter(filterString, "string")
	registerFilter(filterReverse, "reverse")
	registerFilter(filterTernary, "ternary")
	registerFilter(filterTypeDebug, "type_debug")
}

// default(value, default="", boolean=false): only an undefined value (or, with boolean,
// a false one) is replaced; None is a defined value.
func filterDefault(c *call) (any, error) {
	def := c.arg(0, "default_value", "")
	if c.undef != nil || (c.boolArg(1, "boolean", false) && !truthy(c.in)) {
		return def, nil
	}
	return c.in, nil
}

func filterMandatory(c *call) (any, error) {
	if c.undef == nil {
		return c.in, nil
	}
	if msg, ok := c.arg(0, "msg", nil).(string); ok {
		return nil, &plainError{msg}
	}
	name := ""
	if u := errorIn[*UndefinedError](c.undef); u != nil && u.Name != "" && u.Attr == "" {
		name = "'" + u.Name + "' "
	}
	return nil, &plainError{fmt.Sprintf("Mandatory variable %s not defined.", name)}
}

// plainError is a filter error shown without the "filter 'x' failed" frame, as Ansible
// shows AnsibleFilterError.
type plainError struct{ msg string }

func (e *plainError) Error() string { return e.msg }

// causedError is one of Ansible's filter errors that wraps a Python exception: its text
// ends with the exception's again ("to_yaml - X. X"), as AnsibleError adds its cause.
type causedError struct{ msg, cause string }

func (e *causedError) Error() string { return e.msg + ". " + e.cause }

// bool is Ansible's to_bool: yes/on/1/true (any case) and 1 are true, None stays None.
func filterBool(c *call) (any, error) {
	switch v := c.in.(type) {
	case nil, bool:
		return v, nil
	case string:
		switch strings.ToLower(v) {
		case "yes", "on", "1", "true":
			return true, nil
		}
		return false, nil
	case int:
		return v == 1, nil
	case float64:
		return v == 1, nil
	}
	return false, nil
}

func filterString(c *call) (any, error) { return pyStr(c.in), nil }

func filterTernary(c *call) (any, error) {
	none := c.arg(2, "none_val", nil)
	if c.in == nil && none != nil {
		return none, nil
	}
	if truthy(c.in) {
		return c.arg(0, "true_val", nil), nil
	}
	return c.arg(1, "false_val", nil), nil
}

func filterTypeDebug(c *call) (any, error) {
	if o, ok := c.in.(pyObject); ok {
		return pyShortType(o), nil // type(v).__name__: 'datetime'
	}
	return typeName(c.in), nil
}

// reverse: a string reversed, or the items of a list in reverse order.
func filterReverse(c *call) (any, error) {
	switch v := c.in.(type) {
	case string:
		r := []rune(v)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r), nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[len(v)-1-i] = e
		}
		return out, nil
	}
	return nil, fmt.Errorf("argument to reverse must be a string or a list, got %s", typeName(c.in))
}
