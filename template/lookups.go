package template

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// lookup(), query() and q() run lookup plugins (lookup_*.go) from inside a template, as
// Ansible's Templar._lookup does: the terms are templated, the options errors=, wantlist=
// and allow_unsafe= are the caller's, the rest go to the plugin. The map is filled in
// init(): the functions reach the engine, whose construction reads this map.
var lookupGlobals = map[string]any{}

func init() {
	lookupGlobals["lookup"] = func(ev *exec.Evaluator, args *exec.VarArgs) (any, error) { return callLookup(ev, args, false) }
	lookupGlobals["query"] = func(ev *exec.Evaluator, args *exec.VarArgs) (any, error) { return callLookup(ev, args, true) }
	lookupGlobals["q"] = lookupGlobals["query"]
}

func callLookup(ev *exec.Evaluator, args *exec.VarArgs, wantlist bool) (any, error) {
	st := stateOf(ev)
	fail := func(err error) (any, error) {
		st.record(err)
		return nil, err
	}
	if len(args.Args) == 0 {
		return fail(&plainError{"lookup() missing 1 required positional argument: 'name'"})
	}
	name, ok := toGo(args.Args[0]).(string)
	if !ok {
		if err, isErr := toGo(args.Args[0]).(error); isErr {
			return fail(errOrUndefined(err))
		}
		return fail(&plainError{fmt.Sprintf("lookup plugin (%s) not found", pyStr(toGo(args.Args[0])))})
	}
	terms := make([]any, 0, len(args.Args)-1)
	for _, a := range args.Args[1:] {
		v := toGo(a)
		if err, isErr := v.(error); isErr {
			return fail(errOrUndefined(err))
		}
		terms = append(terms, v)
	}
	kwargs := map[string]any{}
	for k, a := range args.KwArgs {
		v := toGo(a)
		if err, isErr := v.(error); isErr {
			return fail(errOrUndefined(err))
		}
		kwargs[k] = v
	}
	if st == nil || st.engine == nil {
		return fail(&plainError{"lookup plugins need a template run"})
	}
	if wantlist {
		kwargs["wantlist"] = true
	}
	out, err := st.engine.lookupCall(name, terms, kwargs, st.scope, st.chain)
	if err != nil {
		if le, ok := err.(*LookupError); ok {
			// translate() finds the LookupError inside a filterError again: the message
			// is Ansible's, without a "template error" frame.
			err = &filterError{kind: "lookup", name: name, err: le}
		}
		return fail(err)
	}
	if !truthy(kwargs["allow_unsafe"]) {
		st.taint() // Ansible marks lookup results unsafe unless allow_unsafe=True
	}
	return wrap(out), nil
}

// errOrUndefined returns the *UndefinedError inside err, or err.
func errOrUndefined(err error) error {
	if u := errorIn[*UndefinedError](err); u != nil {
		return u
	}
	return err
}
