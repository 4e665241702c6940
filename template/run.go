package template

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// run is one execution of a compiled template against a scope.
type run struct {
	e     *Engine
	c     *compiled
	env   *exec.Environment
	state *runState
}

// runState collects the errors raised by this package's filters and tests during a run.
// gonja flattens a filter's error into text ("invalid call to filter ..."); the original,
// typed error is found here again by its message.
type runState struct {
	mu   sync.Mutex
	errs []error
	// what lookup plugins need: the engine and scope of this run (see lookups.go)
	engine *Engine
	scope  *Scope
	chain  *resolving
	unsafe bool // the run read unsafe data (see unsafe.go)
}

// stateKey is the hidden context name of the runState (not a valid identifier).
const stateKey = "\x00run"

func (st *runState) record(err error) {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.errs = append(st.errs, err)
	st.mu.Unlock()
}

func stateOf(ev *exec.Evaluator) *runState {
	if ev == nil || ev.Environment == nil || ev.Environment.Context == nil {
		return nil
	}
	v, _ := ev.Environment.Context.Get(stateKey)
	st, _ := v.(*runState)
	return st
}

// literals are Jinja2's constants, which no variable shadows.
var literals = map[string]any{"true": true, "True": true, "false": false, "False": false, "none": nil, "None": nil}

// newRun builds the gonja context: every name the template reads is looked up (and so
// templated) in the scope; a lookup that fails is stored as an error value, which gonja
// carries until something actually uses it, so `x is defined` and `x | default()` work
// and an unused broken variable costs nothing.
func (e *Engine) newRun(c *compiled, s *Scope, chain *resolving) *run {
	ctx := e.env.Context.Inherit()
	st := &runState{engine: e, scope: s, chain: chain}
	ctx.Set(stateKey, st)
	e.bindNames(ctx, c.names, s, chain, false)
	return &run{e: e, c: c, state: st, env: e.envWith(ctx)}
}

// envWith is the engine's environment over the context ctx.
func (e *Engine) envWith(ctx *exec.Context) *exec.Environment {
	return &exec.Environment{
		Filters:           e.env.Filters,
		Tests:             e.env.Tests,
		ControlStructures: e.env.ControlStructures,
		Methods:           e.env.Methods,
		Context:           ctx,
	}
}

// bindNames sets in ctx the value of each name a template reads, from the scope; keep
// leaves alone the names ctx already has (an included template sees its includer's
// loop and set variables first).
func (e *Engine) bindNames(ctx *exec.Context, names []string, s *Scope, chain *resolving, keep bool) {
	for _, name := range names {
		if keep && ctx.Has(name) {
			continue
		}
		if v, ok := literals[name]; ok {
			ctx.Set(name, v)
			continue
		}
		st, _ := ctx.Get(stateKey)
		rs, _ := st.(*runState)
		v, sh, ok, err := s.resolve(name, chain, rs)
		switch {
		case err != nil:
			ctx.Set(name, err)
		case ok:
			if sh.has(hasUnsafe) {
				rs.taint()
			}
			ctx.Set(name, wrapIn(v, chain))
		case name == "omit":
			ctx.Set(name, OmitPlaceholder)
		case e.env.Context.Has(name):
			// a Jinja2 global such as range() or dict()
		default:
			ctx.Set(name, &UndefinedError{Name: name})
		}
	}
}

func (r *run) evaluator() *exec.Evaluator {
	return &exec.Evaluator{Config: r.e.cfg, Environment: r.env, Loader: &searchLoader{e: r.e}}
}

func (r *run) fail(err error, src string) error {
	r.state.mu.Lock()
	recorded := append([]error(nil), r.state.errs...)
	r.state.mu.Unlock()
	out := translate(err, src, recorded)
	if u, ok := out.(*UndefinedError); ok && u.Attr != "" && u.Object == "" {
		u.Object = r.objectOf(strings.TrimSuffix(u.Name, "."+u.Attr))
	}
	return out
}

// objectOf names the type of the value expr evaluates to, as Jinja2 words it in "'str
// object' has no attribute"; gonja reports a missing attribute without it.
func (r *run) objectOf(expr string) string {
	c, err := r.e.compile("{{ " + expr + " }}")
	if err != nil || c.single == nil {
		return "dict object"
	}
	v := r.evaluator().Eval(c.single)
	if v.IsError() {
		return "dict object"
	}
	g := toGo(v)
	if g == nil {
		return "None"
	}
	return typeName(g) + " object"
}

// execute renders src to text. Top-level {{ }} values are written as Python's str() writes
// them (None as the empty string), which Ansible's string round trip depends on. native reports a template
// that is one {{ }} whose value came from a string-preserving filter (to_json, string...),
// which Ansible does not turn back into a list or dict.
func (e *Engine) execute(src string, s *Scope, chain *resolving) (out string, native bool, err error) {
	return e.executeIn(src, s, chain, nil)
}

// executeIn is execute with paths as the search path of what the template includes;
// nil is an inline template's: the playbook directory, as Ansible's loader basedir.
func (e *Engine) executeIn(src string, s *Scope, chain *resolving, paths []string) (out string, native bool, err error) {
	out, native, _, err = e.executeRun(src, s, chain, paths)
	return out, native, err
}

// executeRun is executeIn also reporting whether the run read unsafe data.
func (e *Engine) executeRun(src string, s *Scope, chain *resolving, paths []string) (out string, native, unsafe bool, err error) {
	defer guard(&err, src)
	c, err := e.compileIn(src, paths, s)
	if err != nil {
		return "", false, false, err
	}
	r := e.newRun(c, s, chain)
	var buf strings.Builder
	renderer := exec.NewRenderer(r.env, &buf, e.cfg, &searchLoader{e: e, paths: paths}, c.tpl)
	native, err = r.renderTop(renderer, c, src)
	if err != nil {
		return "", false, false, err
	}
	out = buf.String()
	// Ansible keeps the template's trailing newlines even where trim_blocks ate one
	if want, got := trailingNewlines(src), trailingNewlines(out); want > got {
		out += strings.Repeat("\n", want-got)
	}
	return out, native, r.state.tainted(), nil
}

// renderTop renders a compiled template's top level to the renderer's output: its own
// nodes, or those of the template it extends. Top-level {{ }} values are written as
// Python's str() writes them. native reports a template that is one {{ }} whose value
// came from a string-preserving filter.
func (r *run) renderTop(renderer *exec.Renderer, c *compiled, src string) (native bool, err error) {
	root := c.tpl.Root()
	for root.Parent != nil {
		root = root.Parent
	}
	for _, n := range root.Nodes {
		if out, ok := n.(*nodes.Output); ok && out.Condition == nil {
			v := renderer.Eval(out.Expression)
			if v.IsError() {
				return false, r.fail(v, src)
			}
			if _, ok := v.Interface().(nativeText); ok && len(root.Nodes) == 1 {
				native = true
			}
			g, err := toGoChecked(v)
			if err != nil {
				return false, err
			}
			if _, err := io.WriteString(renderer.Output, outputStr(g)); err != nil {
				return false, err
			}
			continue
		}
		if err := nodes.Walk(renderer, n); err != nil {
			return false, r.fail(err, src)
		}
	}
	return native, nil
}

// guard turns a panic inside gonja into an error naming the template: bad input must never
// crash a run.
func guard(err *error, src string) {
	if r := recover(); r != nil {
		*err = &TemplateError{Source: src, Msg: fmt.Sprintf("internal template engine error: %v", r)}
	}
}

func trailingNewlines(s string) int {
	return len(s) - len(strings.TrimRight(s, "\n"))
}

// nativeText is the result of a filter whose output Ansible keeps as a string
// (STRING_TYPE_FILTERS: string, to_json, to_yaml...).
type nativeText string
