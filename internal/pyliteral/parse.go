package pyliteral

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gossible/gossible/internal/keyorder"
)

// ErrNotLiteral is returned for any text that is not one Python literal.
var ErrNotLiteral = errors.New("not a python literal")

// Options adapt Parse to its caller.
type Options struct {
	// JSONNames accepts true, false and null besides True, False and None,
	// as the _JSON_MAP pass of Ansible's template typing does.
	JSONNames bool
	// Key is the map key a parsed dict key becomes (the value is a string,
	// int, float64, bool or nil); ok false makes the text no literal. Nil
	// means JSONKey.
	Key func(k any) (string, bool)
}

// Parse parses s as one Python literal expression. As literal_eval does, it
// ignores leading blanks and comments, and allows newlines and backslash
// continuations between tokens.
func Parse(s string, opt Options) (any, error) {
	if opt.Key == nil {
		opt.Key = JSONKey
	}
	p := &parser{s: strings.TrimLeft(s, " \t"), opt: opt}
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.s) {
		return nil, ErrNotLiteral
	}
	return plainValue(v), nil
}

type parser struct {
	s   string
	pos int
	opt Options
}

// litBytes is a bytes literal (b'...'): kept apart while parsing, as bytes
// and str do not mix, and made a string (Ansible's to_text) in the result.
type litBytes string

// space skips what Python's tokenizer skips between tokens of a bracketed
// expression: blanks, newlines, backslash continuations and comments.
func (p *parser) space() {
	for p.pos < len(p.s) {
		switch c := p.s[p.pos]; {
		case c == ' ' || c == '\t' || c == '\f' || c == '\r' || c == '\n':
			p.pos++
		case c == '\\' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '\n':
			p.pos += 2
		case c == '#':
			for p.pos < len(p.s) && p.s[p.pos] != '\n' {
				p.pos++
			}
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) expr() (any, error) {
	p.space()
	c := p.peek()
	if c == '+' || c == '-' {
		// a sign applies only to a number (bool excluded), once
		p.pos++
		p.space()
		v, err := p.atom()
		if err != nil {
			return nil, err
		}
		switch n := v.(type) {
		case int:
			if c == '-' {
				return -n, nil
			}
			return n, nil
		case float64:
			if c == '-' {
				return -n, nil
			}
			return n, nil
		}
		return nil, ErrNotLiteral
	}
	return p.atom()
}

func (p *parser) atom() (any, error) {
	p.space()
	c := p.peek()
	switch {
	case c == 0:
		return nil, ErrNotLiteral
	case c == '[':
		p.pos++
		items, _, err := p.items(']')
		if err != nil {
			return nil, err
		}
		return items, nil
	case c == '(':
		p.pos++
		items, comma, err := p.items(')')
		if err != nil {
			return nil, err
		}
		if len(items) == 1 && !comma {
			return items[0], nil
		}
		return items, nil
	case c == '{':
		p.pos++
		return p.dictOrSet()
	case c >= '0' && c <= '9' || c == '.' && p.pos+1 < len(p.s) && p.s[p.pos+1] >= '0' && p.s[p.pos+1] <= '9':
		return p.number()
	case c == '\'' || c == '"':
		return p.strings()
	}
	// a name: a string prefix, True/False/None, or set()
	start := p.pos
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		p.pos += n
	}
	name := p.s[start:p.pos]
	if q := p.peek(); (q == '\'' || q == '"') && isStrPrefix(name) {
		p.pos = start
		return p.strings()
	}
	switch name {
	case "True":
		return true, nil
	case "False":
		return false, nil
	case "None":
		return nil, nil
	case "true", "false":
		if p.opt.JSONNames {
			return name == "true", nil
		}
	case "null":
		if p.opt.JSONNames {
			return nil, nil
		}
	case "set":
		p.space()
		if strings.HasPrefix(p.s[p.pos:], "(") {
			save := p.pos
			p.pos++
			p.space()
			if p.peek() == ')' {
				p.pos++
				return []any{}, nil
			}
			p.pos = save
		}
	}
	return nil, ErrNotLiteral
}

// items parses comma-separated expressions up to the closing byte.
func (p *parser) items(end byte) ([]any, bool, error) {
	out := []any{}
	comma := false
	for {
		p.space()
		if p.peek() == end {
			p.pos++
			return out, comma, nil
		}
		v, err := p.expr()
		if err != nil {
			return nil, false, err
		}
		out = append(out, plainValue(v))
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
			comma = true
		case end:
			p.pos++
			return out, comma, nil
		default:
			return nil, false, ErrNotLiteral
		}
	}
}

func (p *parser) dictOrSet() (any, error) {
	p.space()
	if p.peek() == '}' {
		p.pos++
		return map[string]any{}, nil
	}
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.peek() != ':' {
		// a set
		rest, _, err := p.itemsAfterFirst()
		if err != nil {
			return nil, err
		}
		return append([]any{plainValue(first)}, rest...), nil
	}
	m := map[string]any{}
	var order []string // Python dicts keep the order keys were written in
	key := first
	for {
		p.pos++ // ':'
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		k, ok := p.opt.Key(plainValue(key))
		if !ok {
			return nil, ErrNotLiteral
		}
		if _, dup := m[k]; !dup {
			order = append(order, k)
		}
		m[k] = plainValue(v)
		p.space()
		switch p.peek() {
		case '}':
			p.pos++
			keyorder.Record(m, order)
			return m, nil
		case ',':
			p.pos++
			p.space()
			if p.peek() == '}' {
				p.pos++
				keyorder.Record(m, order)
				return m, nil
			}
			if key, err = p.expr(); err != nil {
				return nil, err
			}
			p.space()
			if p.peek() != ':' {
				return nil, ErrNotLiteral
			}
		default:
			return nil, ErrNotLiteral
		}
	}
}

// itemsAfterFirst continues a set literal after its first element.
func (p *parser) itemsAfterFirst() ([]any, bool, error) {
	switch p.peek() {
	case '}':
		p.pos++
		return nil, false, nil
	case ',':
		p.pos++
		return p.items('}')
	}
	return nil, false, ErrNotLiteral
}

// plainValue turns bytes literals into strings (to_text) for storage.
func plainValue(v any) any {
	if b, ok := v.(litBytes); ok {
		return string(b)
	}
	return v
}
