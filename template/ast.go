package template

import (
	"reflect"
	"unsafe"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Where gonja's semantics differ from Jinja2's, the parsed tree is adjusted once at
// compile time rather than patching gonja:
//   - the operators + - * / // % ** ~, the orderings, `in` and unary - and + call
//     Python-semantics helpers (pyops.go, pymath.go): gonja's coerce as JavaScript does
//     where Python raises TypeError;
//   - chained comparisons (a < b < c) mean a < b and b < c;
//   - `x | default(y)` does not evaluate y unless x is undefined (gonja evaluates filter
//     arguments first and fails on an undefined one);
//   - a test called with several arguments, `x is version('1', '>=')`, which gonja parses
//     as one tuple argument, gets them as separate arguments;
//   - dicts keep Python's insertion order in loops, key-walking filters, nested {{ }} and
//     dict(k=v) (see order_gonja.go).
// Exported fields are visited, and the unexported expressions of gonja's {% set %} (see
// settableExpression), so that `{% set d = a - b %}` computes as `{{ a - b }}` does.

// Hidden global names: not valid identifiers, so no template can name them.
const (
	fnPow      = "\x00pow"
	fnFloorDiv = "\x00floordiv"
	fnMod      = "\x00mod"
	fnDiv      = "\x00div"
	fnNeg      = "\x00neg" // unary minus
)

// operatorHelpers maps an operator to its helper's hidden name (filled by pyops.go and
// unsafe_eq.go).
var operatorHelpers = map[tokens.Type]string{}

var (
	typeExpression = reflect.TypeFor[nodes.Expression]()
	typeNode       = reflect.TypeFor[nodes.Node]()
)

func rewriteTree(root any) {
	rw := &rewriter{seen: map[uintptr]bool{}, top: map[*nodes.Output]bool{}}
	if t, ok := root.(*nodes.Template); ok {
		for _, n := range t.Nodes {
			if o, ok := n.(*nodes.Output); ok && o.Condition == nil {
				rw.top[o] = true // written by Engine.execute itself
			}
		}
	}
	rw.value(reflect.ValueOf(root))
}

// rewriter walks a parsed tree once.
type rewriter struct {
	seen map[uintptr]bool
	top  map[*nodes.Output]bool // top-level outputs, left to Engine.execute
}

func (rw *rewriter) value(v reflect.Value) {
	seen := rw.seen
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			if repl, ok := replacement(v.Elem().Interface()); ok && v.CanSet() {
				v.Set(reflect.ValueOf(repl))
			}
			rw.value(v.Elem())
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		rw.dictOrder(v.Interface())
		if tc, ok := v.Interface().(*nodes.TestCall); ok && len(tc.Args) == 1 {
			if tup, ok := tc.Args[0].(*nodes.Tuple); ok {
				tc.Args = tup.Val
			}
		}
		rw.value(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				rw.value(f)
			} else if f := settableExpression(v, i); f.IsValid() {
				rw.value(f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			rw.value(v.Index(i))
		}
	case reflect.Map:
		if v.Type().Elem() != typeExpression && v.Type().Elem() != typeNode {
			return
		}
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if repl, ok := replacement(e.Interface()); ok {
				v.SetMapIndex(k, reflect.ValueOf(repl))
				e = v.MapIndex(k)
			}
			rw.value(e.Elem())
		}
	}
}

var comparisons = map[tokens.Type]bool{
	tokens.Equals: true, tokens.Ne: true, tokens.LowerThan: true, tokens.LowerThanOrEqual: true,
	tokens.GreaterThan: true, tokens.GreaterThanOrEqual: true,
}

func isComparison(n nodes.Expression) (*nodes.BinaryExpression, bool) {
	be, ok := n.(*nodes.BinaryExpression)
	if !ok || be.Operator == nil || be.Operator.Token == nil || !comparisons[be.Operator.Token.Type] {
		return nil, false
	}
	return be, true
}

// chain rewrites Python's chained comparison a < b < c, which gonja parses as
// (a < b) < c, into a < b and b < c.
func chain(be *nodes.BinaryExpression) (nodes.Expression, bool) {
	if _, ok := isComparison(be); !ok {
		return nil, false
	}
	if _, ok := isComparison(be.Left); !ok {
		return nil, false
	}
	var links []*nodes.BinaryExpression // innermost first
	for cur, ok := be, true; ok; cur, ok = isComparison(cur.Left) {
		links = append([]*nodes.BinaryExpression{cur}, links...)
	}
	var out nodes.Expression = links[0]
	for i, l := range links[1:] {
		prevRight := links[i].Right // links[i] precedes l
		and := *l.Operator.Token
		and.Type, and.Val = tokens.And, "and"
		out = &nodes.BinaryExpression{
			Left:     out,
			Operator: &nodes.BinOperator{Token: &and},
			Right:    &nodes.BinaryExpression{Left: prevRight, Operator: l.Operator, Right: l.Right},
		}
	}
	return out, true
}

// replacement returns what replaces a node gonja evaluates differently from Jinja2.
func replacement(n any) (nodes.Expression, bool) {
	if fe, ok := n.(*nodes.FilteredExpression); ok {
		return lazyDefault(fe)
	}
	if c, ok := n.(*nodes.Call); ok {
		if r, ok := methodCallRewrite(c); ok {
			return r, true
		}
		return kwargsDict(c)
	}
	if u, ok := n.(*nodes.UnaryExpression); ok && u.Operator != nil {
		switch u.Term.(type) {
		case *nodes.Integer, *nodes.Float:
			return nil, false // -1: gonja's own sign is Python's
		}
		fn := fnPos
		if u.Negative {
			fn = fnNeg
		}
		return helperCall(u.Operator, fn, u.Term), true
	}
	if te, ok := n.(*nodes.TestExpression); ok && te.Test != nil && te.Test.Name == "in" && len(te.Test.Args) == 1 && len(te.Test.Kwargs) == 0 {
		// `x in y` (gonja parses it as the test) is Python's operator
		return helperCall(te.Test.Token, fnIn, te.Expression, te.Test.Args[0]), true
	}
	be, ok := n.(*nodes.BinaryExpression)
	if !ok || be.Operator == nil || be.Operator.Token == nil {
		return nil, false
	}
	if c, ok := chain(be); ok {
		return c, true
	}
	fn, ok := operatorHelpers[be.Operator.Token.Type]
	if !ok {
		return nil, false
	}
	return helperCall(be.Operator.Token, fn, be.Left, be.Right), true
}

// helperCall is a call of hidden helper fn on args, placed at the operator's token.
func helperCall(at *tokens.Token, fn string, args ...nodes.Expression) *nodes.Call {
	tok := *at
	tok.Type, tok.Val = tokens.Name, fn
	return &nodes.Call{Location: at, Func: &nodes.Name{Name: &tok}, Args: args, Kwargs: map[string]nodes.Expression{}}
}

// lazyDefault rewrites `x | default(y, b)` to `(((x is defined and (not b or x)) and [x])
// or [y])[0]`, which evaluates y only when it is chosen, as Jinja2's lazy Undefined does.
func lazyDefault(fe *nodes.FilteredExpression) (nodes.Expression, bool) {
	idx := -1
	for i, f := range fe.Filters {
		if f.Name == "default" || f.Name == "d" {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, false
	}
	fc := fe.Filters[idx]
	if !defaultCallFits(fc) {
		return nil, false // the filter runs, and fails with Python's TypeError
	}
	tok := func(t tokens.Type, val string) *tokens.Token {
		c := *fc.Token
		c.Type, c.Val = t, val
		return &c
	}
	arg := func(i int, name string) nodes.Expression {
		if i < len(fc.Args) {
			return fc.Args[i]
		}
		return fc.Kwargs[name]
	}
	var inner nodes.Expression = fe.Expression
	if idx > 0 {
		inner = &nodes.FilteredExpression{Expression: fe.Expression, Filters: fe.Filters[:idx]}
	}
	fallback := arg(0, "default_value")
	if fallback == nil {
		fallback = &nodes.String{Location: tok(tokens.String, ""), Val: ""}
	}
	binary := func(op tokens.Type, val string, l, r nodes.Expression) nodes.Expression {
		return &nodes.BinaryExpression{Left: l, Right: r, Operator: &nodes.BinOperator{Token: tok(op, val)}}
	}
	var keep nodes.Expression = &nodes.TestExpression{
		Expression: inner,
		Test:       &nodes.TestCall{Token: tok(tokens.Name, "defined"), Name: "defined", Kwargs: map[string]nodes.Expression{}},
	}
	if b := arg(1, "boolean"); b != nil {
		keep = binary(tokens.And, "and", keep, binary(tokens.Or, "or", &nodes.Negation{Term: b, Operator: tok(tokens.Not, "not")}, inner))
	}
	list := func(e nodes.Expression) nodes.Expression {
		return &nodes.List{Location: tok(tokens.LeftBracket, "["), Val: []nodes.Expression{e}}
	}
	var out nodes.Expression = &nodes.GetItem{
		Location: tok(tokens.LeftBracket, "["),
		Node:     binary(tokens.Or, "or", binary(tokens.And, "and", keep, list(inner)), list(fallback)),
		Arg:      &nodes.Integer{Location: tok(tokens.Integer, "0"), Val: 0},
	}
	if rest := fe.Filters[idx+1:]; len(rest) > 0 {
		next := &nodes.FilteredExpression{Expression: out, Filters: rest}
		if r, ok := lazyDefault(next); ok {
			return r, true
		}
		out = next
	}
	return out, true
}

// defaultCallFits reports whether a default filter call's arguments fit do_default's
// signature; one that does not is left to run and fail.
func defaultCallFits(fc *nodes.FilterCall) bool {
	params := &exec.VarArgs{Args: make([]*exec.Value, len(fc.Args)), KwArgs: map[string]*exec.Value{}}
	for k := range fc.Kwargs {
		params.KwArgs[k] = nil
	}
	return filterSigs[fc.Name].check(params) == nil
}

// settableExpression is unexported field i of the addressable struct v made settable,
// when it holds an expression (gonja keeps {% set %}'s unexported); else the zero Value.
func settableExpression(v reflect.Value, i int) reflect.Value {
	f := v.Field(i)
	if f.Type() != typeExpression || !v.CanAddr() {
		return reflect.Value{}
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
