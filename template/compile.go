package template

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// compiled is a parsed template plus what running it needs to know up front.
type compiled struct {
	tpl    *exec.Template
	names  []string         // variable names the template may read
	single nodes.Expression // set when the template is exactly one {{ expr }}
	source string           // the text as written, for messages
	path   string           // the file of an included template
	deps   []dep            // the files it extends, read while parsing
}

func (e *Engine) compile(src string) (*compiled, error) { return e.compileIn(src, nil, nil) }

// compileIn compiles src with paths as the search path of the {% extends %} it names;
// nil paths are s's loader basedir (see searchLoader.base).
func (e *Engine) compileIn(src string, paths []string, s *Scope) (*compiled, error) {
	loader := &searchLoader{e: e, paths: paths, base: s}
	if c, ok := e.cached(src, loader); ok {
		return c, nil
	}
	if err := checkText(src); err != nil {
		return nil, err
	}
	escaped := e.prepare(src, e.rawBackslashes)
	loader.root = escaped
	c, err := e.parse(escaped, src, loader)
	if err != nil {
		return c, err
	}
	e.store(src, c)
	return c, nil
}

// cached is the compiled template under key, unless a file it extends now differs or
// another file is found by its name on loader's search path.
func (e *Engine) cached(key any, loader *searchLoader) (*compiled, bool) {
	v, ok := e.cache.Load(key)
	if !ok {
		return nil, false
	}
	c := v.(*compiled)
	for _, d := range c.deps {
		if path, text, err := loader.load(d.name); err != nil || path != d.path || text != d.text {
			return nil, false
		}
	}
	return c, true
}

// store caches c under key: a template's text, or a fileKey.
func (e *Engine) store(key any, c *compiled) {
	e.cacheMu.Lock()
	e.cacheN++
	if e.cacheN > maxCached {
		e.cache.Clear()
		e.cacheN = 1
	}
	e.cacheMu.Unlock()
	e.cache.Store(key, c)
}

// prepare rewrites template text for gonja: string literal escapes (Python's for files,
// raw; doubled backslashes for playbook strings), conditional expressions and FQCNs.
func (e *Engine) prepare(src string, raw bool) string {
	escaped := escapeBackslashes(src)
	if raw {
		escaped = pythonEscapes(src)
	}
	escaped = rewriteConditionals(escaped, e.cfg)
	return stripFQCN(escaped, e.cfg, e.env.Filters, e.env.Tests)
}

// parse builds the compiled template of the prepared text escaped (src as written, for
// messages); loader serves what it extends.
func (e *Engine) parse(escaped, src string, loader *searchLoader) (*compiled, error) {
	names, err := e.scan(escaped, src)
	if err != nil {
		return nil, err
	}
	tpl, err := exec.NewTemplate(rootID, e.cfg, loader, e.env)
	if err != nil {
		return nil, syntaxError(src, err)
	}
	for _, d := range loader.served {
		more, err := e.scan(d.text, d.text)
		if err != nil {
			return nil, err
		}
		names = append(names, more...)
	}
	rewriteTree(tpl.Root())
	implicitMacroArgs(tpl.Root())
	c := &compiled{tpl: tpl, names: names, source: src, deps: loader.served}
	if root := tpl.Root(); len(root.Nodes) == 1 && root.Parent == nil {
		if out, ok := root.Nodes[0].(*nodes.Output); ok && out.Condition == nil {
			c.single = out.Expression
		}
	}
	return c, nil
}

// syntaxError is a template that does not parse; it keeps the line gonja reports, so a
// template file's error can show where it is.
func syntaxError(src string, err error) error {
	te := &TemplateError{Source: src, Msg: syntaxMessage(err), Err: err}
	var se *parser.SyntaxError
	if errors.As(err, &se) {
		te.Line = se.Line
	}
	return te
}

// scan lexes src to list the names it reads and to reject unknown filters and tests at
// compile time, as Jinja2 does (even in a branch that never runs).
func (e *Engine) scan(escaped, src string) ([]string, error) {
	stream := tokens.LexAll(escaped, e.cfg)
	var (
		names []string
		seen  = map[string]bool{}
		prev  *tokens.Token
		prev2 *tokens.Token
		toks  []*tokens.Token
	)
	for !stream.End() {
		toks = append(toks, stream.Next())
	}
	// unknown names a plugin by its full dotted name, as Ansible's "Could not load" does
	unknown := func(i int) error {
		if full, ok := dottedAt(toks, i); ok {
			return unknownName(src, full)
		}
		return unknownName(src, toks[i].Val)
	}
	for i, tok := range toks {
		if tok.Type == tokens.Name {
			switch {
			case prev != nil && prev.Type == tokens.Pipe:
				if !e.env.Filters.Exists(tok.Val) {
					return nil, unknown(i)
				}
			case prev != nil && (prev.Type == tokens.Is || (prev.Type == tokens.Not && prev2 != nil && prev2.Type == tokens.Is)):
				if tok.Val != "not" && !e.env.Tests.Exists(tok.Val) {
					return nil, unknown(i)
				}
			case prev != nil && prev.Type == tokens.Dot:
			default:
				if !seen[tok.Val] {
					seen[tok.Val] = true
					names = append(names, tok.Val)
				}
			}
		}
		prev2, prev = prev, tok
	}
	if stream.IsError() {
		tok := stream.Current()
		near := tok.Val
		if len(near) > 20 {
			near = near[:20] + "..."
		}
		return nil, &TemplateError{Source: src, Msg: fmt.Sprintf("unexpected char or unterminated string near %q", near)}
	}
	return names, nil
}

func unknownName(src, name string) error {
	return &TemplateError{Source: src, Msg: fmt.Sprintf("Could not load \"%s\": '%s'", name, name)}
}

// syntaxMessage extracts gonja's syntax error message without its wrapping.
func syntaxMessage(err error) string {
	var se *parser.SyntaxError
	if errors.As(err, &se) {
		return reUnknownTag.ReplaceAllString(se.Error(), "Encountered unknown tag '$1'.")
	}
	return innermost(err)
}

// reUnknownTag is gonja's wording of a tag it does not know; Jinja2's is used instead.
var reUnknownTag = regexp.MustCompile(`ControlStructure '(\w+)' not found \(or beginning not provided\)`)

// rootID names the template being compiled to its loader.
const rootID = "<template>"

// escapeBackslashes doubles the backslashes of string literals inside {{ }}, as Ansible
// does before compiling, so '\1' in a playbook reaches a filter as backslash-one.
func escapeBackslashes(src string) string {
	return rewriteLiterals(src, func(quote byte, body string, closed bool) string {
		if !closed {
			return string(quote) + body
		}
		return string(quote) + strings.ReplaceAll(body, "\\", "\\\\") + string(quote)
	})
}

// rewriteLiterals passes each Jinja2 string literal inside {{ }} through lit: its
// quote, the text up to the closing quote (a backslash escapes the next character),
// and whether it closes before the end of src. The rest of src is kept as is.
func rewriteLiterals(src string, lit func(quote byte, body string, closed bool) string) string {
	if !strings.Contains(src, "\\") || !strings.Contains(src, "{{") {
		return src
	}
	var b strings.Builder
	inVar := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case !inVar && strings.HasPrefix(src[i:], "{{"):
			inVar = true
			b.WriteString("{{")
			i++
		case inVar && strings.HasPrefix(src[i:], "}}"):
			inVar = false
			b.WriteString("}}")
			i++
		case inVar && (c == '\'' || c == '"'):
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				b.WriteString(lit(c, src[i+1:], false))
				return b.String()
			}
			b.WriteString(lit(c, src[i+1:j], true))
			i = j
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// checkText rejects what gonja's lexer cannot take (it can loop forever on broken UTF-8
// or on a control character inside an expression), and Jinja2 rejects anyway.
func checkText(src string) error {
	if !utf8.ValidString(src) {
		return &TemplateError{Source: strings.ToValidUTF8(src, "\uFFFD"), Msg: "template is not valid UTF-8"}
	}
	for rest := src; ; {
		i := strings.IndexAny(rest, "{")
		if i < 0 || i+1 >= len(rest) {
			return nil
		}
		end := ""
		switch rest[i+1] {
		case '{':
			end = "}}"
		case '%':
			end = "%}"
		default:
			rest = rest[i+1:]
			continue
		}
		body := rest[i+2:]
		j := strings.Index(body, end)
		if j < 0 {
			j = len(body)
		}
		for _, r := range body[:j] {
			if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
				return &TemplateError{Source: src, Msg: fmt.Sprintf("unexpected control character %q in an expression", r)}
			}
		}
		if j >= len(body) {
			return nil
		}
		rest = body[j+2:]
	}
}
