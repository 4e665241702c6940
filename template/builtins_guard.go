package template

import (
	"errors"
	"runtime"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// gonja's built-in filters and tests index their arguments without checking them, so a
// call with too few arguments panics. Every filter and test is wrapped so that a panic
// becomes an error naming it, as Ansible's errors name the filter.

// jinjaFilters and jinjaTests are Jinja2's built-in names (gonja's FilterSet cannot be
// listed); this package's own are in the registries.
var (
	jinjaFilters = strings.Fields(`abs attr batch capitalize center count d default dictsort e
		escape filesizeformat first float forceescape format groupby indent int items join last
		length list lower map max min pprint random reject rejectattr replace reverse round safe
		select selectattr slice sort string striptags sum title tojson trim truncate unique upper
		urlencode urlize wordcount wordwrap xmlattr`)
	jinjaTests = strings.Fields(`boolean callable defined divisibleby eq equalto escaped even
		false filter float ge greaterthan gt in integer iterable le lessthan lower lt mapping ne
		none number odd sameas sequence string test true undefined upper == != < <= > >=`)
)

var errBadArguments = errors.New("invalid arguments")

// argumentPanic reports whether r is a Go runtime error (an index out of range, a nil
// dereference: what unchecked arguments cause); any other panic is not a filter's
// fault and is raised again, for guard to report.
func argumentPanic(r any) bool {
	if r == nil {
		return false
	}
	if _, ok := r.(runtime.Error); ok {
		return true
	}
	panic(r)
}

// guardBuiltins wraps every known filter and test of fs and ts with a recover.
func guardBuiltins(fs *exec.FilterSet, ts *exec.TestSet) {
	guarded := map[string]exec.FilterFunction{}
	for _, name := range append(append([]string{}, jinjaFilters...), keysOf(filterRegistry)...) {
		if f, ok := fs.Get(name); ok {
			_, ours := filterRegistry[name]
			guarded[name] = guardFilter(name, f, !ours && !itemsPassThrough[name])
		}
	}
	fs.Update(exec.NewFilterSet(guarded))
	tests := map[string]exec.TestFunction{}
	for _, name := range append(append([]string{}, jinjaTests...), keysOf(testRegistry)...) {
		if t, ok := ts.Get(name); ok {
			if g := guardTest(name, t); g != nil {
				tests[name] = g
			}
		}
	}
	ts.Update(exec.NewTestSet(tests))
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// itemsPassThrough are the gonja built-ins that hand an undefined item of their input on
// untouched, as Jinja2's do (length counts it, first returns it); the others fail with it,
// as Jinja2's fail using it (join makes it a string, sort compares it).
var itemsPassThrough = map[string]bool{"list": true, "first": true, "last": true, "length": true,
	"count": true, "reverse": true, "batch": true, "slice": true, "random": true, "d": true,
	"default": true}

// guardFilter wraps a filter with the argument and input checks; checkItems fails it
// when its input holds an undefined item.
func guardFilter(name string, f exec.FilterFunction, checkItems bool) exec.FilterFunction {
	return func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) (out *exec.Value) {
		defer func() {
			if argumentPanic(recover()) {
				err := &filterError{kind: "filter", name: name, err: errBadArguments}
				stateOf(ev).record(err)
				out = exec.AsValue(err)
			}
		}()
		if err := checkSig(name, params); err != nil {
			stateOf(ev).record(err)
			return exec.AsValue(err)
		}
		if err := checkInput(name, in); err != nil {
			stateOf(ev).record(err)
			return exec.AsValue(err)
		}
		if err := checkArgs(ev, name, in, params); err != nil {
			stateOf(ev).record(err)
			return exec.AsValue(err)
		}
		if checkItems && !in.IsError() {
			var bad error
			if toGoTo(in, &bad); bad != nil {
				stateOf(ev).record(bad)
				return exec.AsValue(bad)
			}
		}
		return f(ev, in, params)
	}
}

// guardTest wraps the two test signatures gonja calls (with the context or the evaluator).
func guardTest(name string, t exec.TestFunction) exec.TestFunction {
	fail := func(ev *exec.Evaluator, ok *bool, err *error) {
		if argumentPanic(recover()) {
			e := &filterError{kind: "test", name: name, err: errBadArguments}
			stateOf(ev).record(e)
			*ok, *err = false, e
		}
	}
	switch f := t.(type) {
	case func(*exec.Context, *exec.Value, *exec.VarArgs) (bool, error):
		return func(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (ok bool, err error) {
			defer fail(nil, &ok, &err)
			return f(ctx, in, params)
		}
	case func(*exec.Evaluator, *exec.Value, *exec.VarArgs) (bool, error):
		return func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) (ok bool, err error) {
			defer fail(ev, &ok, &err)
			return f(ev, in, params)
		}
	}
	return nil
}
