package template

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
)

// literalConvert is Ansible 2.14's ansible_eval_concat typing: a rendered string that looks
// like a list, dict or bool and parses as a Python literal (JSON's true/false/null allowed)
// becomes that value; anything else stays a string.
func literalConvert(out string) any {
	if !strings.HasPrefix(out, "{") && !strings.HasPrefix(out, "[") && out != "True" && out != "False" {
		return out
	}
	v, err := parseLiteral(out)
	if err != nil {
		return out
	}
	return v
}

var errNotLiteral = errors.New("not a python literal")

// parseLiteral parses the Python literal subset ast.literal_eval accepts.
func parseLiteral(s string) (any, error) {
	p := &litParser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, errNotLiteral
	}
	return v, nil
}

type litParser struct {
	s string
	i int
}

func (p *litParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r\f\v", p.s[p.i]) >= 0 {
		p.i++
	}
	// a backslash-newline continues the line
	if p.i+1 < len(p.s) && p.s[p.i] == '\\' && p.s[p.i+1] == '\n' {
		p.i += 2
		p.space()
	}
}

func (p *litParser) peek() byte {
	p.space()
	if p.i >= len(p.s) {
		return 0
	}
	return p.s[p.i]
}

func (p *litParser) value() (any, error) {
	switch c := p.peek(); {
	case c == '[':
		p.i++
		items, err := p.seq(']')
		return items, err
	case c == '(':
		p.i++
		items, err := p.seq(')')
		return items, err
	case c == '{':
		return p.dict()
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+':
		p.i++
		v, err := p.value()
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
		return nil, errNotLiteral
	case c >= '0' && c <= '9' || c == '.':
		return p.number()
	case isIdentStart(c):
		start := p.i
		for p.i < len(p.s) && (isIdentStart(p.s[p.i]) || p.s[p.i] >= '0' && p.s[p.i] <= '9') {
			p.i++
		}
		word := p.s[start:p.i]
		switch word {
		case "True", "true":
			return true, nil
		case "False", "false":
			return false, nil
		case "None", "null":
			return nil, nil
		}
		// string prefixes: r'', u'', b''
		if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') && len(word) <= 2 &&
			strings.Trim(strings.ToLower(word), "rub") == "" {
			return p.strRaw(strings.ContainsAny(word, "rR"))
		}
	}
	return nil, errNotLiteral
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *litParser) seq(end byte) ([]any, error) {
	out := []any{}
	for {
		if p.peek() == end {
			p.i++
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		switch p.peek() {
		case ',':
			p.i++
		case end:
			p.i++
			return out, nil
		default:
			return nil, errNotLiteral
		}
	}
}

func (p *litParser) dict() (any, error) {
	p.i++ // {
	if p.peek() == '}' {
		p.i++
		return map[string]any{}, nil
	}
	first, err := p.value()
	if err != nil {
		return nil, err
	}
	if c := p.peek(); c == ',' || c == '}' { // a set literal
		p.i++
		items := []any{first}
		if c == ',' {
			rest, err := p.seq('}')
			if err != nil {
				return nil, err
			}
			items = append(items, rest...)
		}
		return items, nil
	}
	out := map[string]any{}
	var order []string // Python dicts keep the order keys were written in
	done := func() (any, error) {
		keyorder.Record(out, order)
		return out, nil
	}
	key := first
	for {
		if p.peek() != ':' {
			return nil, errNotLiteral
		}
		p.i++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		switch key.(type) {
		case []any, map[string]any:
			return nil, errNotLiteral // unhashable
		}
		k := keyString(key)
		if _, dup := out[k]; !dup {
			order = append(order, k)
		}
		out[k] = v
		switch p.peek() {
		case ',':
			p.i++
			if p.peek() == '}' {
				p.i++
				return done()
			}
		case '}':
			p.i++
			return done()
		default:
			return nil, errNotLiteral
		}
		if key, err = p.value(); err != nil {
			return nil, err
		}
	}
}

func (p *litParser) number() (any, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("0123456789abcdefABCDEFxXoO_.+-", p.s[p.i]) >= 0 {
		// a sign only belongs to the number right after an exponent
		if (p.s[p.i] == '+' || p.s[p.i] == '-') && !(p.i > start && (p.s[p.i-1] == 'e' || p.s[p.i-1] == 'E') && !strings.HasPrefix(strings.ToLower(p.s[start:]), "0x")) {
			break
		}
		p.i++
	}
	lit := strings.ReplaceAll(p.s[start:p.i], "_", "")
	if n, err := strconv.ParseInt(lit, 0, 64); err == nil {
		if len(lit) > 1 && lit[0] == '0' && lit[1] >= '0' && lit[1] <= '9' {
			return nil, errNotLiteral // Python 3 rejects 017
		}
		return int(n), nil
	}
	if strings.ContainsAny(lit, "xXoObB") {
		return nil, errNotLiteral
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return nil, errNotLiteral
	}
	return f, nil
}

func (p *litParser) str() (any, error) { return p.strRaw(false) }

// strRaw parses one or more adjacent string literals ('a' "b" is 'ab').
func (p *litParser) strRaw(raw bool) (any, error) {
	var b strings.Builder
	for {
		q := p.s[p.i]
		triple := strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3))
		if triple {
			p.i += 3
		} else {
			p.i++
		}
		for {
			if p.i >= len(p.s) {
				return nil, errNotLiteral
			}
			c := p.s[p.i]
			if triple && strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3)) {
				p.i += 3
				break
			}
			if !triple && c == q {
				p.i++
				break
			}
			if !triple && c == '\n' {
				return nil, errNotLiteral
			}
			if c == '\\' && p.i+1 < len(p.s) {
				if raw {
					b.WriteByte(c)
					b.WriteByte(p.s[p.i+1])
					p.i += 2
					continue
				}
				if err := p.escape(&b); err != nil {
					return nil, err
				}
				continue
			}
			b.WriteByte(c)
			p.i++
		}
		c := p.peek()
		if c != '\'' && c != '"' {
			return b.String(), nil
		}
		raw = false
	}
}

func (p *litParser) escape(b *strings.Builder) error {
	c := p.s[p.i+1]
	p.i += 2
	switch c {
	case '\n':
	case '\\', '\'', '"':
		b.WriteByte(c)
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if p.i+n > len(p.s) {
			return errNotLiteral
		}
		r, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
		if err != nil {
			return errNotLiteral
		}
		b.WriteRune(rune(r))
		p.i += n
	case '0', '1', '2', '3', '4', '5', '6', '7':
		j := p.i - 1
		for p.i < len(p.s) && p.i-j < 3 && p.s[p.i] >= '0' && p.s[p.i] <= '7' {
			p.i++
		}
		r, _ := strconv.ParseUint(p.s[j:p.i], 8, 32)
		b.WriteRune(rune(r))
	default:
		b.WriteByte('\\')
		b.WriteByte(c)
	}
	return nil
}
