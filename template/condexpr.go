package template

import (
	"strings"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// gonja parses Jinja2's conditional expression (`a if c else b`) only as the whole of a
// {{ }}; inside parentheses, lists, dicts or call arguments it is a syntax error. Before
// parsing, each such conditional is rewritten to `(((c) and [a]) or [b])[0]`, which gonja
// evaluates lazily (and/or short-circuit, and a list is truthy even around a false value),
// so only the chosen branch runs, as in Jinja2.

// rewriteConditionals returns src with the conditional expressions inside brackets and
// the keyword arguments of tests rewritten; src is returned unchanged when it has none (or
// does not lex).
func rewriteConditionals(src string, cfg *config.Config) string {
	if !strings.Contains(src, "if") && !strings.Contains(src, "=") {
		return src
	}
	stream := tokens.LexAll(src, cfg)
	var toks []*tokens.Token
	for !stream.End() {
		toks = append(toks, stream.Next())
	}
	if stream.IsError() {
		return src // the parser reports the error
	}
	toks = append(toks, &tokens.Token{Type: tokens.EOF, Pos: len(src)})
	r := &condRewriter{src: src, toks: toks}
	return r.text(0, len(toks)-1)
}

type condRewriter struct {
	src  string
	toks []*tokens.Token
}

// piece is the source text of token k up to the next token.
func (r *condRewriter) piece(k int) string {
	return r.src[r.toks[k].Pos:r.toks[k+1].Pos]
}

var closers = map[tokens.Type]tokens.Type{
	tokens.LeftParenthesis: tokens.RightParenthesis,
	tokens.LeftBracket:     tokens.RightBracket,
	tokens.LeftBrace:       tokens.RightBrace,
}

// match returns the index of the token closing the bracket at k, or -1.
func (r *condRewriter) match(k, hi int) int {
	depth := 0
	for i := k; i < hi; i++ {
		switch t := r.toks[i].Type; {
		case closers[t] != 0:
			depth++
		case t == tokens.RightParenthesis || t == tokens.RightBracket || t == tokens.RightBrace:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// text rewrites tokens [lo, hi) without treating `if` at this level (a statement's `if`,
// or the whole of a {{ }} which gonja handles), but descending into brackets.
func (r *condRewriter) text(lo, hi int) string {
	var b strings.Builder
	for k := lo; k < hi; k++ {
		if closers[r.toks[k].Type] != 0 {
			if m := r.match(k, hi); m > 0 {
				b.WriteString(r.piece(k))
				if r.isTestCall(k) {
					b.WriteString(r.testArgs(k+1, m))
				} else {
					b.WriteString(r.group(k+1, m))
				}
				k = m - 1
				continue
			}
		}
		b.WriteString(r.piece(k))
	}
	return b.String()
}

// isTestCall reports whether the parenthesis at k opens a test's arguments: `is name(`.
func (r *condRewriter) isTestCall(k int) bool {
	t := r.toks
	if t[k].Type != tokens.LeftParenthesis || k < 2 || t[k-1].Type != tokens.Name {
		return false
	}
	return t[k-2].Type == tokens.Is || (t[k-2].Type == tokens.Not && k >= 3 && t[k-3].Type == tokens.Is)
}

// testKwargs is the key of the dict that carries a test's keyword arguments: gonja's
// parser takes none, so `is match('a', ignorecase=true)` becomes
// `is match('a', {'__gossible_test_kwargs__': {'ignorecase': true}})`, unpacked in newCall.
const testKwargs = "__gossible_test_kwargs__"

// testArgs rewrites a test's arguments, moving keyword arguments into the testKwargs dict.
func (r *condRewriter) testArgs(lo, hi int) string {
	var pos, kw []string
	start, depth := lo, 0
	flush := func(end int) {
		if end <= start {
			return
		}
		if end-start > 2 && r.toks[start].Type == tokens.Name && r.toks[start+1].Type == tokens.Assign {
			kw = append(kw, "'"+r.toks[start].Val+"': "+strings.TrimSpace(r.segment(start+2, end)))
		} else {
			pos = append(pos, strings.TrimSpace(r.segment(start, end)))
		}
	}
	for k := lo; k < hi; k++ {
		switch t := r.toks[k].Type; {
		case closers[t] != 0:
			depth++
		case t == tokens.RightParenthesis || t == tokens.RightBracket || t == tokens.RightBrace:
			depth--
		case depth == 0 && t == tokens.Comma:
			flush(k)
			start = k + 1
		}
	}
	flush(hi)
	if len(kw) == 0 {
		return r.group(lo, hi)
	}
	return strings.Join(append(pos, "{'"+testKwargs+"': {"+strings.Join(kw, ", ")+"}}"), ", ")
}

// group rewrites the inside of a bracket: segments split by top-level commas and colons.
func (r *condRewriter) group(lo, hi int) string {
	var b strings.Builder
	start, depth := lo, 0
	for k := lo; k < hi; k++ {
		switch t := r.toks[k].Type; {
		case closers[t] != 0:
			depth++
		case t == tokens.RightParenthesis || t == tokens.RightBracket || t == tokens.RightBrace:
			depth--
		case depth == 0 && (t == tokens.Comma || t == tokens.Colon):
			b.WriteString(r.segment(start, k))
			b.WriteString(r.piece(k))
			start = k + 1
		}
	}
	b.WriteString(r.segment(start, hi))
	return b.String()
}

// segment rewrites one expression that may be a conditional: X if C [else Y].
func (r *condRewriter) segment(lo, hi int) string {
	ifAt, elseAt, depth := -1, -1, 0
	for k := lo; k < hi; k++ {
		t := r.toks[k]
		switch {
		case closers[t.Type] != 0:
			depth++
		case t.Type == tokens.RightParenthesis || t.Type == tokens.RightBracket || t.Type == tokens.RightBrace:
			depth--
		case depth == 0 && t.Type == tokens.Name && t.Val == "if" && ifAt < 0:
			ifAt = k
		case depth == 0 && t.Type == tokens.Name && t.Val == "else" && ifAt >= 0 && elseAt < 0:
			elseAt = k
		}
	}
	if ifAt <= lo {
		return r.text(lo, hi)
	}
	x := r.text(lo, ifAt)
	var c, y string
	if elseAt < 0 {
		c, y = r.text(ifAt+1, hi), "none"
	} else {
		c, y = r.text(ifAt+1, elseAt), r.segment(elseAt+1, hi)
	}
	return "(((" + strings.TrimSpace(c) + ") and [" + strings.TrimSpace(x) + "]) or [" + strings.TrimSpace(y) + "])[0]"
}
