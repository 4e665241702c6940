package template

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Jinja2's {% for %}, replacing gonja's, which differs where templates notice:
//   - loop.depth and loop.depth0 count recursion levels of a `recursive` loop (a nested
//     loop starts again at 1), and every loop attribute works inside a recursive loop;
//   - a target unpacks any number of names, nested: {% for a, (b, c) in ... %};
//   - the iterable is walked as Python's iter() walks it (a dict's keys in its order, a
//     string's characters), `in a, b` iterates a tuple, and a value that is not iterable
//     is Python's TypeError;
//   - loop.previtem at the first item and loop.nextitem at the last are undefined, and
//     the misuses Jinja2 rejects (loop() outside a recursive loop, loop.cycle() with
//     nothing to cycle, an unpacking that does not fit) are errors.
//
// Each item's scope is a fresh child of the scope the loop runs in (a {% set %} in the
// body lasts one iteration); the `if` filter is evaluated in it before `loop` is bound,
// so it sees the enclosing loop. loop(items) renders the body again over items one
// level deeper, in a scope made from the loop's own scope (not the calling iteration's),
// and returns the text.

// forLoop is {% for target in iterable [if filter] [recursive] %}body[{% else %}...]
// {% endfor %}. Expressions and bodies are exported so the tree adjustments of ast.go
// reach them.
type forLoop struct {
	location  *tokens.Token
	target    forTarget
	recursive bool

	Iterable nodes.Expression
	Filter   nodes.Expression // nil: no `if`
	Body     *nodes.Wrapper
	Else     *nodes.Wrapper // nil: no {% else %}
}

// forTarget is what each item is assigned to: a name, or a tuple of targets the item is
// unpacked into.
type forTarget struct {
	name  string
	items []forTarget
}

func (f *forLoop) Position() *tokens.Token { return f.location }
func (f *forLoop) String() string {
	return fmt.Sprintf("ForControlStructure(Line=%d Col=%d)", f.location.Line, f.location.Col)
}

func (f *forLoop) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	v := r.Eval(f.Iterable)
	if v.IsError() {
		return v
	}
	if err := f.render(r, v, 0, r.Output); err != nil {
		return recorded(r.Evaluator(), err)
	}
	return nil
}

// render writes the loop over v to out, at recursion level depth0; r is the renderer the
// {% for %} runs in.
func (f *forLoop) render(r *exec.Renderer, v *exec.Value, depth0 int, out io.Writer) error {
	items, err := iterItems(v)
	if err != nil {
		return err
	}
	base := r.Environment.Context
	scopes := make([]*exec.Context, 0, len(items))
	kept := items[:0] // filtered in place: iterItems's slice is ours
	for _, item := range items {
		ctx := base.Inherit()
		if err := f.target.bind(ctx, item); err != nil {
			return err
		}
		if f.Filter != nil {
			ok := f.sub(r, ctx, out).Eval(f.Filter)
			if ok.IsError() {
				return ok
			}
			if !ok.IsTrue() {
				continue
			}
		}
		kept = append(kept, item)
		scopes = append(scopes, ctx)
	}
	if len(kept) == 0 {
		if f.Else == nil {
			return nil
		}
		return nodes.Walk(f.sub(r, base.Inherit(), out), f.Else)
	}
	st := &loopState{loop: f, r: r, items: kept, depth0: depth0}
	lv := st.bind()
	for i, ctx := range scopes {
		st.index0 = i
		ctx.Set("loop", lv)
		if err := nodes.Walk(f.sub(r, ctx, out), f.Body); err != nil {
			return err
		}
	}
	return nil
}

// sub is a renderer over ctx writing to out, sharing r's configuration: what
// r.Inherit() gives, without copying the configuration and the context once more.
func (f *forLoop) sub(r *exec.Renderer, ctx *exec.Context, out io.Writer) *exec.Renderer {
	env := *r.Environment
	env.Context = ctx
	return &exec.Renderer{Config: r.Config, Environment: &env, Loader: r.Loader,
		Template: r.Template, RootNode: r.RootNode, Output: out}
}

// bind assigns item to the target in ctx, unpacking it as Python does.
func (t forTarget) bind(ctx *exec.Context, item *exec.Value) error {
	if t.items == nil {
		ctx.Set(t.name, item)
		return nil
	}
	if item.IsError() {
		return item
	}
	parts, err := iterItems(item)
	if _, notIterable := err.(*typeError); notIterable {
		return typeErrorf("cannot unpack non-iterable %s object", typeName(toGo(item)))
	}
	if err != nil {
		return err
	}
	switch n := len(t.items); {
	case len(parts) > n:
		return &plainError{fmt.Sprintf("too many values to unpack (expected %d)", n)}
	case len(parts) < n:
		return &plainError{fmt.Sprintf("not enough values to unpack (expected %d, got %d)", n, len(parts))}
	}
	for i, sub := range t.items {
		if err := sub.bind(ctx, parts[i]); err != nil {
			return err
		}
	}
	return nil
}

// iterItems lists what Python's iter() yields for v: a sequence's items, a mapping's keys
// in the mapping's order, a string's characters. Anything else is Python's TypeError.
func iterItems(v *exec.Value) ([]*exec.Value, error) {
	if v.IsError() {
		return nil, v
	}
	values := func(l []any) []*exec.Value {
		out := make([]*exec.Value, len(l))
		for i, e := range l {
			out[i] = exec.ToValue(wrap(e))
		}
		return out
	}
	keys := func(m map[string]any) []*exec.Value {
		ks := orderedKeys(m)
		out := make([]*exec.Value, len(ks))
		for i, k := range ks {
			out[i] = exec.AsValue(k)
		}
		return out
	}
	switch t := v.Interface().(type) {
	case listValue:
		return values(t), nil
	case []any:
		return values(t), nil
	case exec.ValuesList:
		return append([]*exec.Value(nil), t...), nil
	case dictValue:
		return keys(t), nil
	case map[string]any:
		return keys(t), nil
	case *exec.Dict:
		out := make([]*exec.Value, len(t.Pairs))
		for i, p := range t.Pairs {
			out[i] = p.Key
		}
		return out, nil
	case scopeValue:
		return values(anySlice(t.s.Names())), nil
	case string:
		return chars(t), nil
	}
	switch rv := reflect.ValueOf(v.Interface()); rv.Kind() {
	case reflect.String:
		return chars(rv.String()), nil
	case reflect.Slice, reflect.Array:
		out := make([]*exec.Value, rv.Len())
		for i := range out {
			out[i] = exec.ToValue(wrap(normalize(rv.Index(i).Interface())))
		}
		return out, nil
	case reflect.Chan: // gonja's range()
		var out []*exec.Value
		for e, ok := rv.Recv(); ok; e, ok = rv.Recv() {
			out = append(out, exec.ToValue(wrap(normalize(e.Interface()))))
		}
		return out, nil
	}
	switch g := toGo(v).(type) { // a map of another type, an opened vault...
	case string:
		return chars(g), nil
	case map[string]any:
		return keys(g), nil
	case error:
		return nil, g
	default:
		return nil, typeErrorf("'%s' object is not iterable", typeName(g))
	}
}

func chars(s string) []*exec.Value {
	out := make([]*exec.Value, 0, len(s))
	for _, c := range s {
		out = append(out, exec.AsValue(string(c)))
	}
	return out
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// loopState is Jinja2's LoopContext: the state of one loop over its (filtered) items.
type loopState struct {
	loop   *forLoop
	r      *exec.Renderer // where the {% for %} runs: loop(items) renders there
	items  []*exec.Value
	index0 int
	depth0 int
	self   *exec.Value // this state, as loopVar hands it out

	changed     bool // changedLast holds a value
	changedLast []any
}

// loopVar is the value of `loop` in a body. gonja calls a value of func kind (loop(items)
// in a recursive loop) and asks a value with a GetAttribute method for its attributes
// (loop.index), so `loop` is a func type with that method; called with nil arguments,
// which gonja never passes, it returns its *loopState.
type loopVar func(*exec.Evaluator, *exec.VarArgs) *exec.Value

// bind makes the `loop` value of st.
func (st *loopState) bind() loopVar {
	st.self = exec.AsValue(st)
	return func(ev *exec.Evaluator, va *exec.VarArgs) *exec.Value {
		if va == nil {
			return st.self
		}
		return st.call(ev, va)
	}
}

func (lv loopVar) state() *loopState { return lv(nil, nil).Interface().(*loopState) }

func (lv loopVar) GetAttribute(name string) (*exec.Value, bool) { return lv.state().attr(name) }

func (lv loopVar) GetItem(key any) (*exec.Value, bool) {
	if k, ok := key.(string); ok {
		return lv.GetAttribute(k)
	}
	return exec.AsValue(&UndefinedError{Object: loopObject, Attr: fmt.Sprint(key)}), false
}

// String is Python's str() of a LoopContext.
func (lv loopVar) String() string {
	st := lv.state()
	return fmt.Sprintf("<LoopContext %d/%d>", st.index0+1, len(st.items))
}

// maxLoopDepth bounds the recursion of a recursive loop, as Python's recursion limit
// bounds Jinja2's (which fails between 150 and 200 levels): a loop over data that
// contains itself, or over a string, would otherwise recurse until the stack overflows.
const maxLoopDepth = 200

// loopObject is how Jinja2's messages name the loop variable's type.
const loopObject = "jinja2.runtime.LoopContext object"

func (st *loopState) attr(name string) (*exec.Value, bool) {
	n := len(st.items)
	switch name {
	case "index":
		return exec.AsValue(st.index0 + 1), true
	case "index0":
		return exec.AsValue(st.index0), true
	case "revindex":
		return exec.AsValue(n - st.index0), true
	case "revindex0":
		return exec.AsValue(n - st.index0 - 1), true
	case "first":
		return exec.AsValue(st.index0 == 0), true
	case "last":
		return exec.AsValue(st.index0 == n-1), true
	case "length":
		return exec.AsValue(n), true
	case "depth":
		return exec.AsValue(st.depth0 + 1), true
	case "depth0":
		return exec.AsValue(st.depth0), true
	case "previtem":
		if st.index0 == 0 {
			return exec.AsValue(&UndefinedError{Name: "loop.previtem"}), true
		}
		return st.items[st.index0-1], true
	case "nextitem":
		if st.index0 == n-1 {
			return exec.AsValue(&UndefinedError{Name: "loop.nextitem"}), true
		}
		return st.items[st.index0+1], true
	case "cycle":
		return exec.AsValue(st.cycle), true
	case "changed":
		return exec.AsValue(st.changedCall), true
	}
	// recorded: gonja flattens it into text that translate cannot parse back
	err := &UndefinedError{Object: loopObject, Attr: name}
	stateOf(&exec.Evaluator{Environment: st.r.Environment}).record(err)
	return exec.AsValue(err), false
}

// cycle is loop.cycle(*values): the value at the loop's index, round robin.
func (st *loopState) cycle(ev *exec.Evaluator, va *exec.VarArgs) *exec.Value {
	if err := noKwargs("cycle", va); err != nil {
		return failed(ev, err)
	}
	if len(va.Args) == 0 {
		return failed(ev, typeErrorf("no items for cycling given"))
	}
	return va.Args[st.index0%len(va.Args)]
}

// changedCall is loop.changed(*values): whether the values differ from those of the
// previous call in this loop.
func (st *loopState) changedCall(ev *exec.Evaluator, va *exec.VarArgs) *exec.Value {
	if err := noKwargs("changed", va); err != nil {
		return failed(ev, err)
	}
	now := make([]any, len(va.Args))
	for i, a := range va.Args {
		now[i] = toGo(a)
	}
	same := st.changed && exec.AsValue(now).EqualValueTo(exec.AsValue(st.changedLast))
	st.changed, st.changedLast = true, now
	return exec.AsValue(!same)
}

// call is loop(iterable): the body rendered over iterable one level deeper.
func (st *loopState) call(ev *exec.Evaluator, va *exec.VarArgs) *exec.Value {
	items, hasItems := va.KwArgs["iterable"]
	for k := range va.KwArgs {
		if k != "iterable" {
			return failed(ev, typeErrorf("LoopContext.__call__() got an unexpected keyword argument '%s'", k))
		}
	}
	switch n := len(va.Args); {
	case n > 1 || (n == 1 && hasItems):
		return failed(ev, typeErrorf("LoopContext.__call__() takes 2 positional arguments but %d were given", n+1))
	case n == 1:
		items = va.Args[0]
	case !hasItems:
		return failed(ev, typeErrorf("LoopContext.__call__() missing 1 required positional argument: 'iterable'"))
	}
	if !st.loop.recursive {
		return failed(ev, typeErrorf("The loop must have the 'recursive' marker to be called recursively."))
	}
	if st.depth0+1 >= maxLoopDepth {
		return failed(ev, &plainError{"maximum recursion depth exceeded"})
	}
	var buf strings.Builder
	if err := st.loop.render(st.r, items, st.depth0+1, &buf); err != nil {
		return exec.AsValue(recorded(ev, err))
	}
	return exec.AsSafeValue(buf.String())
}

func noKwargs(method string, va *exec.VarArgs) error {
	for k := range va.KwArgs {
		return typeErrorf("LoopContext.%s() got an unexpected keyword argument '%s'", method, k)
	}
	return nil
}

// failed is err as the value of a call, recorded for the run's error report.
func failed(ev *exec.Evaluator, err error) *exec.Value {
	return exec.AsValue(recorded(ev, err))
}

// recorded frames the loop's own Python errors (TypeError, ValueError) as this package's
// filter errors are framed, and records them in the run, as a filter's are (gonja may
// flatten them into text); other errors pass through.
func recorded(ev *exec.Evaluator, err error) error {
	switch err.(type) {
	case *typeError, *plainError:
		err = &filterError{kind: "statement", name: "for", err: err}
		stateOf(ev).record(err)
	}
	return err
}

// forParser parses the arguments of {% for %} and its body.
func forParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	f := &forLoop{location: args.Current()}
	target, err := parseForTarget(args, false)
	if err != nil {
		return nil, err
	}
	f.target = target
	in := args.Match(tokens.In)
	if in == nil {
		return nil, expectedToken(args, "in")
	}
	if args.End() {
		return nil, args.Error("Expected an expression, got 'end of statement block'", in)
	}
	if f.Iterable, err = parseForIterable(args); err != nil {
		return nil, err
	}
	if tok := args.MatchName("if"); tok != nil {
		if args.End() {
			return nil, args.Error("unexpected 'end of statement block'", tok)
		}
		if f.Filter, err = args.ParseExpression(); err != nil {
			return nil, err
		}
	}
	f.recursive = args.MatchName("recursive") != nil
	if !args.End() {
		return nil, expectedToken(args, "end of statement block")
	}

	body, end, err := p.WrapUntil("else", "endfor")
	if err != nil {
		return nil, err
	}
	if !end.End() {
		return nil, expectedToken(end, "end of statement block")
	}
	f.Body = body
	if body.EndTag == "else" {
		if f.Else, end, err = p.WrapUntil("endfor"); err != nil {
			return nil, err
		}
		if !end.End() {
			return nil, expectedToken(end, "end of statement block")
		}
	}
	return f, nil
}

// parseForTarget parses a target: names and parenthesized targets separated by commas;
// inParens allows a trailing comma before the closing parenthesis.
func parseForTarget(args *parser.Parser, inParens bool) (forTarget, error) {
	var items []forTarget
	for {
		var t forTarget
		switch tok := args.Current(); {
		case args.Match(tokens.LeftParenthesis) != nil:
			inner, err := parseForTarget(args, true)
			if err != nil {
				return t, err
			}
			if args.Match(tokens.RightParenthesis) == nil {
				return t, expectedToken(args, ")")
			}
			t = inner
		case tok.Type == tokens.Name && !isLiteralName(tok.Val):
			if tok.Val == "loop" {
				return t, args.Error("Can't assign to special loop variable in for-loop target", tok)
			}
			args.Consume()
			t = forTarget{name: tok.Val}
		case tok.Type == tokens.Name || tok.Type == tokens.String || tok.Type == tokens.Integer || tok.Type == tokens.Float:
			return t, args.Error("can't assign to 'const'", tok)
		default:
			return t, args.Error(fmt.Sprintf("unexpected '%s'", tokenText(args)), tok)
		}
		items = append(items, t)
		if args.Match(tokens.Comma) == nil {
			break
		}
		if inParens && args.Current(tokens.RightParenthesis) != nil {
			return forTarget{items: items}, nil
		}
	}
	if len(items) == 1 {
		return items[0], nil // a, or (a)
	}
	return forTarget{items: items}, nil
}

// isLiteralName reports the names Jinja2 reads as constants.
func isLiteralName(name string) bool {
	_, ok := literals[name]
	return ok
}

// parseForIterable parses what follows `in`: an expression, or several separated by
// commas, which make a tuple (Jinja2's `for x in a, b`).
func parseForIterable(args *parser.Parser) (nodes.Expression, error) {
	first, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	if args.Current(tokens.Comma) == nil {
		return first, nil
	}
	tuple := &nodes.Tuple{Location: args.Current(), Val: []nodes.Expression{first}}
	for args.Match(tokens.Comma) != nil {
		if args.End() || args.CurrentName("if", "recursive") != nil {
			break
		}
		e, err := args.ParseExpression()
		if err != nil {
			return nil, err
		}
		tuple.Val = append(tuple.Val, e)
	}
	return tuple, nil
}

// expectedToken is Jinja2's syntax error for an unexpected token.
func expectedToken(args *parser.Parser, want string) error {
	return args.Error(fmt.Sprintf("expected token '%s', got '%s'", want, tokenText(args)), args.Current())
}

// tokenText names the current token as Jinja2's syntax errors do.
func tokenText(args *parser.Parser) string {
	if args.End() {
		return "end of statement block"
	}
	return args.Current().Val
}
