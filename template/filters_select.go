package template

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Jinja2's map, select, reject, selectattr, rejectattr and groupby, which gonja's
// built-ins got wrong in ways that hide mistakes: an unknown filter or test, a missing
// attribute, no filter at all, all quietly gave a result. Here they fail as Jinja2 does,
// and a missing attribute is an undefined item of the result (map(attribute=) of a
// missing one), which fails only where it is used: `| select('defined')` drops it.

func init() {
	registerItemsFilter(filterMap, "map")
	registerItemsFilter(selectOrReject(true, false), "select")
	registerItemsFilter(selectOrReject(false, false), "reject")
	registerItemsFilter(selectOrReject(true, true), "selectattr")
	registerItemsFilter(selectOrReject(false, true), "rejectattr")
	registerFilter(filterGroupBy, "groupby")
}

// filterArgumentError is Jinja2's FilterArgumentError, which Ansible lets through as an
// exception.
func filterArgumentError(msg string) error {
	return pyException("jinja2.exceptions.FilterArgumentError", msg)
}

// couldNotLoad is the exception Ansible raises for a filter or test name it does not
// know, met by map/select when they first call it.
func couldNotLoad(name string) error {
	return pyException("jinja2.exceptions.TemplateSyntaxError", fmt.Sprintf("Could not load \"%s\": '%s'\n  line 0", name, name))
}

// pluginName is the filter or test name given to map/select: Ansible's plugin loader
// refuses anything but a string, with a ValueError.
func pluginName(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", pyException("ValueError", fmt.Sprintf("key must be a string, got <class '%s'> instead", typeName(v)))
}

// seqItems is what Jinja2's map/select walk: nothing for a false value (None, 0, ”),
// else the value's items.
func seqItems(v any) ([]any, error) {
	if !truthy(v) {
		return nil, nil
	}
	return pyIter(v)
}

// nestedFailure is a failure of a filter or test that map/select called, returned as
// that callee left it.
type nestedFailure struct{ v *exec.Value }

func (e *nestedFailure) Error() string { return e.v.Error() }

// asGonja is a plain value (or an undefined item) as filters and tests receive it.
func asGonja(v any) *exec.Value {
	if err, ok := v.(error); ok {
		return exec.AsValue(err)
	}
	return exec.ToValue(wrap(v))
}

func varArgs(args []any, kwargs map[string]any) *exec.VarArgs {
	p := exec.NewVarArgs()
	for _, a := range args {
		p.Args = append(p.Args, asGonja(a))
	}
	for k, a := range kwargs {
		p.KwArgs[k] = asGonja(a)
	}
	return p
}

// callFilter runs filter name on in, as Jinja2's environment.call_filter does.
func callFilter(ev *exec.Evaluator, name string, in any, args []any, kwargs map[string]any) (any, error) {
	f, ok := ev.Environment.Filters.Get(name)
	if !ok || !ev.Environment.Filters.Exists(name) {
		return nil, couldNotLoad(name)
	}
	out := f(ev, asGonja(in), varArgs(args, kwargs))
	if out.IsError() {
		return nil, &nestedFailure{out}
	}
	return toGo(out), nil
}

// callTest runs test name on in, as Jinja2's environment.call_test does.
func callTest(ev *exec.Evaluator, name string, in any, args []any, kwargs map[string]any) (bool, error) {
	t, ok := ev.Environment.Tests.Get(name)
	if !ok || !ev.Environment.Tests.Exists(name) {
		return false, couldNotLoad(name)
	}
	var res bool
	var err error
	switch f := t.(type) {
	case func(*exec.Evaluator, *exec.Value, *exec.VarArgs) (bool, error):
		res, err = f(ev, asGonja(in), varArgs(args, kwargs))
	case func(*exec.Context, *exec.Value, *exec.VarArgs) (bool, error):
		res, err = f(ev.Environment.Context, asGonja(in), varArgs(args, kwargs))
	default:
		return false, fmt.Errorf("test '%s' cannot be called", name)
	}
	if err != nil {
		return false, &nestedFailure{exec.AsValue(err)}
	}
	return res, nil
}

// map(filter, *args, **kwargs) or map(attribute=, default=).
func filterMap(c *call) (any, error) {
	var fn func(item any) (any, error)
	if len(c.args) == 0 {
		attr, ok := c.kwargs["attribute"]
		if !ok {
			return nil, filterArgumentError("map requires a filter argument")
		}
		for _, k := range sortedKeys(c.kwargs) {
			if k != "attribute" && k != "default" {
				return nil, filterArgumentError("Unexpected keyword argument " + pyRepr(k))
			}
		}
		def := c.kwargs["default"]
		fn = func(item any) (any, error) { return attrLookup(item, attr, def) }
	} else {
		name, err := pluginName(c.args[0])
		if err != nil {
			return nil, err
		}
		fn = func(item any) (any, error) { return callFilter(c.ev, name, item, c.args[1:], c.kwargs) }
	}
	items, err := seqItems(c.in)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	for _, item := range items {
		v, err := fn(item)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(*UndefinedError); ok {
			stateOf(c.ev).record(u) // found again where gonja flattens it (first | default)
		}
		out = append(out, v)
	}
	return out, nil
}

// selectOrReject is select/reject (keep the items passing the test, or those failing
// it) and, byAttr, selectattr/rejectattr, which test an attribute of each item.
func selectOrReject(keep, byAttr bool) func(c *call) (any, error) {
	return func(c *call) (any, error) {
		args := c.args
		var attr any
		if byAttr {
			if len(args) == 0 {
				return nil, filterArgumentError("Missing parameter for attribute name")
			}
			attr, args = args[0], args[1:]
		}
		test := func(v any) (bool, error) {
			if err, ok := v.(error); ok {
				return false, err // bool() of an undefined value fails
			}
			return truthy(v), nil
		}
		if len(args) > 0 {
			name, err := pluginName(args[0])
			if err != nil {
				return nil, err
			}
			test = func(v any) (bool, error) { return callTest(c.ev, name, v, args[1:], c.kwargs) }
		}
		items, err := seqItems(c.in)
		if err != nil {
			return nil, err
		}
		out := []any{}
		for _, item := range items {
			v := item
			if byAttr {
				if v, err = attrLookup(item, attr, nil); err != nil {
					return nil, err
				}
			}
			ok, err := test(v)
			if err != nil {
				return nil, err
			}
			if ok == keep {
				out = append(out, item)
			}
		}
		return out, nil
	}
}

// attrParts splits Jinja2's attribute argument: "a.0.b" is a path whose all-digit parts
// are list indexes; an int is one index.
func attrParts(attr any) []any {
	s, ok := attr.(string)
	if !ok {
		return []any{attr}
	}
	var parts []any
	for _, p := range strings.Split(s, ".") {
		if n, err := strconv.Atoi(p); err == nil && p != "" && strings.Trim(p, "0123456789") == "" {
			parts = append(parts, n)
			continue
		}
		parts = append(parts, p)
	}
	return parts
}

// attrLookup is Jinja2's attribute getter: item's attribute path. A missing part gives
// def when it is not None, else the first missing part's *UndefinedError as the value (an
// undefined item: Ansible's undefined value carries on through the rest of the path).
func attrLookup(item, attr, def any) (any, error) {
	parts := attrParts(attr)
	cur := item
	for _, p := range parts {
		next, err := getItem(cur, p)
		if err == nil {
			cur = next
			continue
		}
		if u, ok := err.(*UndefinedError); ok {
			if def != nil {
				return def, nil
			}
			return u, nil
		}
		return nil, err
	}
	return cur, nil
}

// groupTuple is one group of groupby: (grouper, list), also by those names.
type groupTuple []any

func (g groupTuple) GetAttribute(name string) (*exec.Value, bool) {
	switch name {
	case "grouper":
		return exec.ToValue(wrap(g[0])), true
	case "list":
		return exec.ToValue(wrap(g[1])), true
	}
	return exec.AsValue(&UndefinedError{Object: "_GroupTuple object", Attr: name}), false
}

func (g groupTuple) GetItem(key any) (*exec.Value, bool) {
	return listValue(g).GetItem(key)
}

// groupby(attribute, default=None, case_sensitive=False): the items sorted by the
// attribute (compared lowercased unless case_sensitive) and grouped by it; a group's
// grouper is its first item's attribute.
func filterGroupBy(c *call) (any, error) {
	items, err := pyIter(c.in)
	if err != nil {
		return nil, err
	}
	attr := c.arg(0, "attribute", nil)
	def := c.arg(1, "default", nil)
	caseSensitive := truthy(c.arg(2, "case_sensitive", false))
	type keyed struct{ item, key, cmp any }
	ks := make([]keyed, len(items))
	for i, item := range items {
		k, err := attrLookup(item, attr, def)
		if err != nil {
			return nil, err
		}
		if u, ok := k.(*UndefinedError); ok {
			return nil, u
		}
		cmp := k
		if s, ok := k.(string); ok && !caseSensitive {
			cmp = strings.ToLower(s)
		}
		ks[i] = keyed{item, k, cmp}
	}
	// a stable insertion sort comparing a later key with an earlier one, as Python's
	// sort does, so a failing comparison names the types in Python's order
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0; j-- {
			c, err := pyCompare(ks[j].cmp, ks[j-1].cmp)
			if err != nil {
				return nil, err
			}
			if c >= 0 {
				break
			}
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	out := []any{}
	for i := 0; i < len(ks); {
		j := i
		var group []any
		for ; j < len(ks) && valueEqual(ks[j].cmp, ks[i].cmp); j++ {
			group = append(group, ks[j].item)
		}
		out = append(out, groupTuple{ks[i].key, group})
		i = j
	}
	return out, nil
}
