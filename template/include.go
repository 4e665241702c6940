package template

import (
	"fmt"
	"io"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// {% include %}, {% import %} and {% from ... import %} with Jinja2's semantics, on the
// rendering's search path (see searchLoader). gonja's own tags parse the file outside
// this package (no Ansible rewriting, no variables bound from the scope) and resolve
// names relative to the includer; these compile the file as any template here and bind
// the variables it reads. An include sees its includer's variables unless "without
// context"; an import sees only the globals unless "with context", as in Jinja2 (Ansible's
// variables are not Jinja2 globals).

type includeTag struct {
	location      *tokens.Token
	name          nodes.Expression
	ignoreMissing bool
	withContext   bool
}

func (t *includeTag) Position() *tokens.Token { return t.location }
func (t *includeTag) String() string {
	return fmt.Sprintf("IncludeControlStructure(Line=%d Col=%d)", t.location.Line, t.location.Col)
}

func (t *includeTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	st, loader, err := includeEnv(r)
	if err != nil {
		return err
	}
	v := r.Eval(t.name)
	if v.IsError() {
		return v
	}
	// a list names alternatives: the first that exists is included
	var names []string
	if l, ok := toGo(v).([]any); ok {
		for _, n := range l {
			names = append(names, pyStr(n))
		}
	} else {
		names = []string{v.String()}
	}
	var c *compiled
	for _, name := range names {
		c, err = st.engine.compileFile(name, loader)
		if _, missing := err.(*TemplateNotFoundError); !missing {
			break
		}
	}
	if _, missing := err.(*TemplateNotFoundError); missing && t.ignoreMissing {
		return nil
	}
	if err != nil {
		return err
	}
	ctx := r.Environment.Context.Inherit()
	if !t.withContext {
		ctx = st.engine.env.Context.Inherit()
		ctx.Set(stateKey, st)
	}
	st.engine.bindNames(ctx, c.names, scopeFor(st, t.withContext), st.chain, true)
	return st.engine.renderWith(c, ctx, r, loader)
}

// importTag is {% import name as alias %} and {% from name import a, b as c %}.
type importTag struct {
	location    *tokens.Token
	name        nodes.Expression
	alias       string            // import: the module's name
	names       map[string]string // from: local name → exported name
	order       []string          // from: local names as written
	withContext bool
}

func (t *importTag) Position() *tokens.Token { return t.location }
func (t *importTag) String() string {
	return fmt.Sprintf("ImportControlStructure(Line=%d Col=%d)", t.location.Line, t.location.Col)
}

func (t *importTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	st, loader, err := includeEnv(r)
	if err != nil {
		return err
	}
	v := r.Eval(t.name)
	if v.IsError() {
		return v
	}
	name := v.String()
	c, err := st.engine.compileFile(name, loader)
	if err != nil {
		return err
	}
	module, err := st.engine.module(c, st, r, loader, t.withContext)
	if err != nil {
		return err
	}
	if t.alias != "" {
		r.Environment.Context.Set(t.alias, module)
		return nil
	}
	for _, local := range t.order {
		exported := t.names[local]
		val, ok := module[exported]
		if !ok {
			return fmt.Errorf("the template %s (imported on line %d) does not export the requested name %s", pyRepr(name), t.location.Line, pyRepr(exported))
		}
		r.Environment.Context.Set(local, val)
	}
	return nil
}

// module runs an imported template for its exports: its macros and top-level variables.
func (e *Engine) module(c *compiled, st *runState, r *exec.Renderer, loader *searchLoader, withContext bool) (map[string]any, error) {
	base := e.env.Context.Inherit()
	base.Set(stateKey, st)
	if withContext {
		base = r.Environment.Context.Inherit()
	}
	e.bindNames(base, c.names, scopeFor(st, withContext), st.chain, true)
	// names bound as undefined here, and set by the template, are its variables
	placeholders := map[string]any{}
	for _, n := range c.names {
		if v, ok := base.Get(n); ok {
			if u, isU := v.(*UndefinedError); isU {
				placeholders[n] = u
			}
		}
	}
	ctx := base.Inherit()
	sub := exec.NewRenderer(e.envWith(ctx), io.Discard, r.Config, loader, c.tpl)
	rr := &run{e: e, c: c, state: st, env: sub.Environment}
	if _, err := rr.renderTop(sub, c, c.source); err != nil {
		return nil, inFile(err, c.path)
	}
	out := map[string]any{}
	for name := range c.tpl.Root().Macros {
		if v, ok := ctx.Get(name); ok {
			out[name] = v
		}
	}
	for n, p := range placeholders {
		if v, ok := ctx.Get(n); ok && v != p && !strings.HasPrefix(n, "_") {
			out[n] = v
		}
	}
	return out, nil
}

// includeEnv finds what an include needs in the renderer: the run and the search path.
func includeEnv(r *exec.Renderer) (*runState, *searchLoader, error) {
	st := stateOf(r.Evaluator())
	loader, ok := r.Loader.(*searchLoader)
	if st == nil || !ok {
		return nil, nil, fmt.Errorf("includes are not supported here")
	}
	return st, loader, nil
}

// scopeFor is the scope an included template's names are bound from: none without
// context (only globals and the includer's hidden state are seen).
func scopeFor(st *runState, withContext bool) *Scope {
	if withContext {
		return st.scope
	}
	return NewScope()
}

// compileFile finds name on the loader's search path and compiles it. Errors name the file.
func (e *Engine) compileFile(name string, l *searchLoader) (*compiled, error) {
	path, text, err := l.load(name)
	if err != nil {
		return nil, err
	}
	if err := checkText(text); err != nil {
		return nil, err
	}
	c, err := e.parse(text, text, &searchLoader{e: e, root: text, paths: l.paths})
	if err != nil {
		return nil, inFile(err, path)
	}
	c.path = path
	return c, nil
}

// renderWith renders an included template into the includer's output, in context ctx.
func (e *Engine) renderWith(c *compiled, ctx *exec.Context, r *exec.Renderer, loader *searchLoader) error {
	st := stateOf(r.Evaluator())
	sub := exec.NewRenderer(e.envWith(ctx), r.Output, r.Config, loader, c.tpl)
	rr := &run{e: e, c: c, state: st, env: sub.Environment}
	_, err := rr.renderTop(sub, c, c.source)
	return inFile(err, c.path)
}

// inFile names the file of a template error that has none yet.
func inFile(err error, path string) error {
	if te, ok := err.(*TemplateError); ok && te.File == "" {
		te.File = path
	}
	return err
}

func includeParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	t := &includeTag{location: p.Current(), withContext: true}
	name, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	t.name = name
	if args.MatchName("ignore") != nil {
		if args.MatchName("missing") == nil {
			return nil, args.Error("expected 'missing' after 'ignore'", args.Current())
		}
		t.ignoreMissing = true
	}
	if err := contextClause(args, &t.withContext); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("malformed include tag", args.Current())
	}
	return t, nil
}

func importParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	t := &importTag{location: p.Current()}
	name, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	t.name = name
	if args.MatchName("as") == nil {
		return nil, args.Error("expected 'as'", args.Current())
	}
	alias := args.Match(tokens.Name)
	if alias == nil {
		return nil, args.Error("expected a name after 'as'", args.Current())
	}
	t.alias = alias.Val
	if err := contextClause(args, &t.withContext); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("malformed import tag", args.Current())
	}
	return t, nil
}

func fromParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	t := &importTag{location: p.Current(), names: map[string]string{}}
	name, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	t.name = name
	if args.MatchName("import") == nil {
		return nil, args.Error("expected 'import'", args.Current())
	}
	for !args.End() {
		if args.CurrentName("with", "without") != nil {
			break
		}
		n := args.Match(tokens.Name)
		if n == nil {
			return nil, args.Error("expected a name to import", args.Current())
		}
		local := n.Val
		if args.MatchName("as") != nil {
			a := args.Match(tokens.Name)
			if a == nil {
				return nil, args.Error("expected a name after 'as'", args.Current())
			}
			local = a.Val
		}
		t.names[local] = n.Val
		t.order = append(t.order, local)
		if args.Match(tokens.Comma) == nil {
			break
		}
	}
	if len(t.order) == 0 {
		return nil, args.Error("expected a name to import", args.Current())
	}
	if err := contextClause(args, &t.withContext); err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("malformed from tag", args.Current())
	}
	return t, nil
}

// contextClause reads an optional "with context" / "without context".
func contextClause(args *parser.Parser, with *bool) error {
	tok := args.MatchName("with", "without")
	if tok == nil {
		return nil
	}
	if args.MatchName("context") == nil {
		return args.Error("expected 'context'", args.Current())
	}
	*with = tok.Val == "with"
	return nil
}
