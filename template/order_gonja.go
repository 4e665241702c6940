package template

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// gonja iterates a Go map in sorted key order and prints one sorted; Jinja2 walks a dict
// in insertion order. These adjustments give that order back:
//   - a {% for %} loop walks a mapping's keys as recorded (stmt_for.go, orderedKeys);
//   - the gonja built-in filters that walk a mapping's keys get its ordered key list;
//   - an {{ }} inside a block is written through fnStr, the str() Engine.execute applies
//     to top-level ones (so a dict prints as Python's repr in its order);
//   - dict(k=v, ...) becomes the literal {'k': v, ...}: gonja passes keyword arguments in
//     a Go map, which would give them a random order.

// fnStr is a hidden filter name: not a valid identifier, so no template can name it.
const fnStr = "\x00str"

// keyWalkingFilters are gonja built-ins that, in Jinja2, iterate a mapping's keys: they
// get the keys as a list. urlencode and xmlattr of a mapping are done here (dict_html.go).
var keyWalkingFilters = []string{"batch", "first", "join", "last", "list", "map", "reject",
	"rejectattr", "select", "selectattr", "slice", "sum"}

// installOrderFilters adds the hidden filters and wraps the key-walking built-ins.
func installOrderFilters(fs *exec.FilterSet) {
	hidden := map[string]exec.FilterFunction{
		fnStr: func(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
			if in.IsError() {
				return in
			}
			return exec.AsValue(outputStr(toGo(in)))
		},
		"items": func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			m, ok := mappingOf(in)
			if !ok {
				return builtinFilter("items")(ev, in, params)
			}
			out := make([]any, 0, len(m))
			for _, k := range orderedKeys(m) {
				out = append(out, []any{k, wrap(m[k])})
			}
			return exec.AsValue(out)
		},
	}
	for _, name := range keyWalkingFilters {
		if _, ours := filterRegistry[name]; ours {
			continue
		}
		f := builtinFilter(name)
		hidden[name] = func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			return f(ev, dictKeys(in), params)
		}
	}
	for name, f := range map[string]func(map[string]any, *exec.VarArgs) (string, error){
		"urlencode": urlencodeDict, "xmlattr": xmlattrDict,
	} {
		builtin := builtinFilter(name)
		hidden[name] = func(ev *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			m, ok := mappingOf(in)
			if !ok && name == "xmlattr" && !in.IsError() {
				// Jinja2 calls .items() on it
				err := &filterError{kind: "filter", name: name, err: &plainError{fmt.Sprintf("'%s' object has no attribute 'items'", typeName(toGo(in)))}}
				stateOf(ev).record(err)
				return exec.AsValue(err)
			}
			if !ok {
				return builtin(ev, in, params)
			}
			out, err := f(m, params)
			if err != nil {
				return exec.AsValue(err)
			}
			return exec.AsValue(out)
		}
	}
	fs.Update(exec.NewFilterSet(hidden))
}

func builtinFilter(name string) exec.FilterFunction {
	f, _ := builtins.Filters.Get(name)
	return f
}

// dictKeys returns a mapping's keys as a list, in the mapping's order (what iterating a
// dict gives in Python); any other value is returned as is.
func dictKeys(in *exec.Value) *exec.Value {
	m, ok := mappingOf(in)
	if !ok {
		return in
	}
	keys := orderedKeys(m)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return exec.AsValue(listValue(out))
}

func mappingOf(in *exec.Value) (map[string]any, bool) {
	if in == nil || in.IsError() {
		return nil, false
	}
	switch t := in.Interface().(type) {
	case dictValue:
		return t, true
	case map[string]any:
		return t, true
	case *exec.Dict, exec.Dict: // a {...} literal: toGo keeps its order
		m, ok := toGo(in).(map[string]any)
		return m, ok
	}
	return nil, false
}

// dictOrder applies the tree adjustments above to one node (see rewriter.value).
func (rw *rewriter) dictOrder(n any) {
	switch t := n.(type) {
	case *nodes.Output:
		if rw.top[t] {
			return
		}
		t.Expression = hiddenFilter(t.Expression, fnStr)
		if t.Alternative != nil {
			t.Alternative = hiddenFilter(t.Alternative, fnStr)
		}
	}
}

func hiddenFilter(e nodes.Expression, name string) nodes.Expression {
	tok := *e.Position()
	tok.Type, tok.Val = tokens.Name, name
	return &nodes.FilteredExpression{
		Expression: e,
		Filters:    []*nodes.FilterCall{{Token: &tok, Name: name, Kwargs: map[string]nodes.Expression{}}},
	}
}
