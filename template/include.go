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

// fileTag is what the include and import tags share: where the tag stands, the
// expression naming the template and whether the template sees the includer's variables.
type fileTag struct {
	location    *tokens.Token
	name        nodes.Expression
	withContext bool
}

func (t *fileTag) Position() *tokens.Token { return t.location }

// start finds what the tag needs in the renderer, the run and the search path, and
// evaluates the template's name.
func (t *fileTag) start(r *exec.Renderer) (*runState, *searchLoader, *exec.Value, error) {
	st := stateOf(r.Evaluator())
	loader, ok := r.Loader.(*searchLoader)
	if st == nil || !ok {
		return nil, nil, nil, fmt.Errorf("includes are not supported here")
	}
	loader.mu.Lock()
	if loader.paths == nil && loader.base == nil {
		loader.base = st.scope // an inline template's: its basedir, found when needed
	}
	loader.mu.Unlock()
	v := r.Eval(t.name)
	if v.IsError() {
		return nil, nil, nil, v
	}
	return st, loader, v, nil
}

type includeTag struct {
	fileTag
	ignoreMissing bool
}

func (t *includeTag) String() string {
	return fmt.Sprintf("IncludeControlStructure(Line=%d Col=%d)", t.location.Line, t.location.Col)
}

func (t *includeTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	st, loader, v, err := t.start(r)
	if err != nil {
		return err
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
	fileTag
	alias string            // import: the module's name
	names map[string]string // from: local name → exported name
	order []string          // from: local names as written
}

func (t *importTag) String() string {
	return fmt.Sprintf("ImportControlStructure(Line=%d Col=%d)", t.location.Line, t.location.Col)
}

func (t *importTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	st, loader, v, err := t.start(r)
	if err != nil {
		return err
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

// scopeFor is the scope an included template's names are bound from: none without
// context (only globals and the includer's hidden state are seen).
func scopeFor(st *runState, withContext bool) *Scope {
	if withContext {
		return st.scope
	}
	return NewScope()
}

// compileFile finds name on the loader's search path and compiles it, once per file
// text (an include in a loop reads the file each time, parses it once). Errors name the
// file.
func (e *Engine) compileFile(name string, l *searchLoader) (*compiled, error) {
	path, text, err := l.load(name)
	if err != nil {
		return nil, err
	}
	key := fileKey{path: path, text: text}
	sub := &searchLoader{e: e, root: text, paths: l.searchPaths()}
	if c, ok := e.cached(key, sub); ok {
		return c, nil
	}
	if err := checkText(text); err != nil {
		return nil, err
	}
	c, err := e.parse(text, text, sub)
	if err != nil {
		return nil, inFile(err, path)
	}
	c.path = path
	e.store(key, c)
	return c, nil
}

// fileKey caches an included file's compiled template by its path and text.
type fileKey struct{ path, text string }

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
	ft, err := parseFileTag(p, args, true)
	if err != nil {
		return nil, err
	}
	t := &includeTag{fileTag: ft}
	if args.MatchName("ignore") != nil {
		if args.MatchName("missing") == nil {
			return nil, args.Error("expected 'missing' after 'ignore'", args.Current())
		}
		t.ignoreMissing = true
	}
	if err := t.parseEnd(args, "include"); err != nil {
		return nil, err
	}
	return t, nil
}

func importParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	ft, err := parseFileTag(p, args, false)
	if err != nil {
		return nil, err
	}
	t := &importTag{fileTag: ft}
	if args.MatchName("as") == nil {
		return nil, args.Error("expected 'as'", args.Current())
	}
	alias := args.Match(tokens.Name)
	if alias == nil {
		return nil, args.Error("expected a name after 'as'", args.Current())
	}
	t.alias = alias.Val
	if err := t.parseEnd(args, "import"); err != nil {
		return nil, err
	}
	return t, nil
}

func fromParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	ft, err := parseFileTag(p, args, false)
	if err != nil {
		return nil, err
	}
	t := &importTag{fileTag: ft, names: map[string]string{}}
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
	if err := t.parseEnd(args, "from"); err != nil {
		return nil, err
	}
	return t, nil
}

// parseFileTag reads the expression that starts an include or import tag; withContext
// is the tag's default.
func parseFileTag(p *parser.Parser, args *parser.Parser, withContext bool) (fileTag, error) {
	t := fileTag{location: p.Current(), withContext: withContext}
	name, err := args.ParseExpression()
	if err != nil {
		return fileTag{}, err
	}
	t.name = name
	return t, nil
}

// parseEnd reads what ends the tag (Jinja2's name for it: include, import or from): an
// optional "with context" / "without context".
func (t *fileTag) parseEnd(args *parser.Parser, tag string) error {
	if tok := args.MatchName("with", "without"); tok != nil {
		if args.MatchName("context") == nil {
			return args.Error("expected 'context'", args.Current())
		}
		t.withContext = tok.Val == "with"
	}
	if !args.End() {
		return args.Error("malformed "+tag+" tag", args.Current())
	}
	return nil
}
