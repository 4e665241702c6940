package template

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// call is what a filter or test implemented here receives: plain Go values.
type call struct {
	in     any            // the piped value (nil when undefined)
	undef  error          // the *UndefinedError when the piped value is undefined
	args   []any          // positional arguments
	kwargs map[string]any // keyword arguments
	ev     *exec.Evaluator
}

// filterDef is an Ansible filter; undefinedOK filters (default, mandatory) are handed an
// undefined input instead of failing with it.
type filterDef struct {
	fn          func(c *call) (any, error)
	undefinedOK bool
	keepsString bool // Ansible's STRING_TYPE_FILTERS: the result is not re-typed
	lazyItems   bool // the piped value's undefined items reach the filter (map, select)
}

// testDef is an Ansible/Jinja2 test.
type testDef struct {
	fn          func(c *call) (bool, error)
	undefinedOK bool
}

// The registries. Adding a filter or test is one registerFilter/registerTest call in an
// init() next to its function; names override gonja's built-ins of the same name.
var (
	filterRegistry = map[string]filterDef{}
	testRegistry   = map[string]testDef{}
)

func registerFilter(fn func(c *call) (any, error), names ...string) {
	for _, n := range names {
		filterRegistry[n] = filterDef{fn: fn}
	}
}

func registerUndefinedFilter(fn func(c *call) (any, error), names ...string) {
	for _, n := range names {
		filterRegistry[n] = filterDef{fn: fn, undefinedOK: true}
	}
}

// registerStringFilter registers a filter whose string result Ansible never turns back
// into a list or dict (STRING_TYPE_FILTERS).
func registerStringFilter(fn func(c *call) (any, error), names ...string) {
	for _, n := range names {
		filterRegistry[n] = filterDef{fn: fn, keepsString: true}
	}
}

// registerItemsFilter registers a filter that walks its input's items and may meet an
// undefined one without failing (select('defined')).
func registerItemsFilter(fn func(c *call) (any, error), names ...string) {
	for _, n := range names {
		filterRegistry[n] = filterDef{fn: fn, lazyItems: true}
	}
}

func registerTest(fn func(c *call) (bool, error), names ...string) {
	for _, n := range names {
		testRegistry[n] = testDef{fn: fn}
	}
}

func registerUndefinedTest(fn func(c *call) (bool, error), names ...string) {
	for _, n := range names {
		testRegistry[n] = testDef{fn: fn, undefinedOK: true}
	}
}

// newCall converts gonja's arguments; fail is not nil when the callee must not run: the
// input is an error it must not see (fail is the input), or the data holds a vaulted
// value that could not be opened (fail is its *VaultError).
// lazyItems leaves the undefined items of the piped value in it.
func newCall(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs, undefinedOK, lazyItems bool) (c *call, fail error) {
	c = &call{kwargs: map[string]any{}, ev: ev}
	var bad error // a vault failure or undefined item inside the data fails the call
	if in.IsError() {
		err, _ := in.Interface().(error)
		u := errorIn[*UndefinedError](err)
		if u == nil && err != nil {
			u = recordedUndefined(stateOf(ev), err)
		}
		if ve := errorIn[*VaultError](err); ve != nil && undefinedOK {
			c.in = ve // defined (Ansible holds an object); it fails where it is used
		} else if u == nil || !undefinedOK {
			return nil, in
		} else {
			c.undef = u
		}
	} else if lazyItems {
		c.in = toGo(in)
	} else if c.in = toGoTo(in, &bad); bad != nil {
		return nil, bad
	}
	for _, a := range params.Args {
		c.args = append(c.args, toGoTo(a, &bad))
	}
	for k, a := range params.KwArgs {
		c.kwargs[k] = toGoTo(a, &bad)
	}
	if bad != nil {
		return nil, bad
	}
	// a test's keyword arguments arrive as a trailing dict (see testArgs in condexpr.go)
	if n := len(c.args); n > 0 {
		if m, ok := c.args[n-1].(map[string]any); ok && len(m) == 1 {
			if kw, ok := m[testKwargs].(map[string]any); ok {
				c.args = c.args[:n-1]
				for k, v := range kw {
					c.kwargs[k] = v
				}
			}
		}
	}
	return c, nil
}

func (f filterDef) gonja(name string) exec.FilterFunction {
	return func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		c, fail := newCall(ev, in, params, f.undefinedOK, f.lazyItems)
		if fail != nil {
			if v, ok := fail.(*exec.Value); ok {
				return v
			}
			stateOf(ev).record(fail) // gonja may flatten it into text
			return exec.AsValue(fail)
		}
		out, err := f.fn(c)
		if nf, ok := err.(*nestedFailure); ok {
			return nf.v // a filter or test it called failed: as that one left it
		}
		if err != nil {
			if errorIn[*UndefinedError](err) == nil {
				err = &filterError{kind: "filter", name: name, err: err}
			}
			stateOf(ev).record(err)
			return exec.AsValue(err)
		}
		if f.keepsString {
			if s, ok := out.(string); ok {
				return exec.AsValue(nativeText(s))
			}
		}
		return exec.ToValue(wrap(out))
	}
}

func (t testDef) gonja(name string) exec.TestFunction {
	return func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) (bool, error) {
		c, fail := newCall(ev, in, params, t.undefinedOK, false)
		if fail != nil {
			if _, ok := fail.(*exec.Value); !ok {
				stateOf(ev).record(fail)
			}
			return false, fail
		}
		ok, err := t.fn(c)
		if err != nil {
			err = &filterError{kind: "test", name: name, err: err}
			stateOf(ev).record(err)
			return false, err
		}
		return ok, nil
	}
}

// errorIn finds an error of type T anywhere in err's chain, through the gonja values
// that carry errors (an undefined or vaulted variable travels as one); else T's zero.
func errorIn[T error](err error) T {
	for e := err; e != nil; {
		if t, ok := e.(T); ok {
			return t
		}
		if v, ok := e.(*exec.Value); ok {
			e, _ = v.Interface().(error)
			continue
		}
		e = errors.Unwrap(e)
	}
	var zero T
	return zero
}

// arg returns positional argument i, or keyword name, or def.
func (c *call) arg(i int, name string, def any) any {
	if i < len(c.args) {
		return c.args[i]
	}
	if v, ok := c.kwargs[name]; ok {
		return v
	}
	return def
}

func (c *call) str(i int, name, def string) (string, error) {
	v := c.arg(i, name, def)
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("argument %s must be a string, got %s", name, typeName(v))
	}
	return s, nil
}

func (c *call) boolArg(i int, name string, def bool) bool {
	return truthy(c.arg(i, name, def))
}

// typeName is Python's type name of a value, as type_debug shows it.
func typeName(v any) string {
	switch t := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	case *Scope:
		return "HostVarsVars"
	case pyObject:
		return t.pyType() // as Python's messages name it: 'datetime.datetime'
	}
	return fmt.Sprintf("%T", v)
}

// recordedUndefined finds the undefined value a filter returned (first of an empty list,
// an undefined item of map(attribute=)) that gonja has flattened into err's text, among
// the errors the run recorded.
func recordedUndefined(st *runState, err error) *UndefinedError {
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	msg := err.Error()
	for _, r := range st.errs {
		if u, ok := r.(*UndefinedError); ok && strings.HasSuffix(msg, u.Error()) {
			return u
		}
	}
	return nil
}
