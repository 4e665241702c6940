package inventory

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// iniValue types an INI value as the INI plugin's _parse_value does: it is
// run through Python's ast.literal_eval and kept as the raw string when that
// fails. Results are string, int, float64, bool, nil, []any (lists, tuples,
// sets) and map[string]any (dict keys become their JSON key text).
//
// Known differences, all on inputs Ansible itself cannot print as JSON:
// complex numbers, Ellipsis and integers beyond 64 bits stay raw strings.
func iniValue(s string) any {
	v, err := literalEval(s)
	if err != nil {
		return s
	}
	return plainValue(v)
}

var errNotLiteral = errors.New("not a python literal")

// literalEval parses one Python literal expression.
func literalEval(s string) (any, error) {
	p := &litParser{s: strings.TrimLeft(s, " \t")}
	v, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] != '#' {
		return nil, errNotLiteral
	}
	return v, nil
}

type litParser struct {
	s   string
	pos int
}

// litBytes is a bytes literal (b'...'); to_text turns it into a string.
type litBytes string

func (p *litParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\f') {
		p.pos++
	}
}

func (p *litParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *litParser) expr() (any, error) {
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
		return nil, errNotLiteral
	}
	return p.atom()
}

func (p *litParser) atom() (any, error) {
	p.space()
	c := p.peek()
	switch {
	case c == 0:
		return nil, errNotLiteral
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
	return nil, errNotLiteral
}

// items parses comma-separated expressions up to the closing byte.
func (p *litParser) items(end byte) ([]any, bool, error) {
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
			return nil, false, errNotLiteral
		}
	}
}

func (p *litParser) dictOrSet() (any, error) {
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
	key := first
	for {
		p.pos++ // ':'
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		k, ok := jsonKey(key)
		if !ok {
			return nil, errNotLiteral
		}
		m[k] = plainValue(v)
		p.space()
		switch p.peek() {
		case '}':
			p.pos++
			return m, nil
		case ',':
			p.pos++
			p.space()
			if p.peek() == '}' {
				p.pos++
				return m, nil
			}
			if key, err = p.expr(); err != nil {
				return nil, err
			}
			p.space()
			if p.peek() != ':' {
				return nil, errNotLiteral
			}
		default:
			return nil, errNotLiteral
		}
	}
}

// itemsAfterFirst continues a set literal after its first element.
func (p *litParser) itemsAfterFirst() ([]any, bool, error) {
	switch p.peek() {
	case '}':
		p.pos++
		return nil, false, nil
	case ',':
		p.pos++
		return p.items('}')
	}
	return nil, false, errNotLiteral
}

// plainValue turns bytes literals into strings (to_text) for storage.
func plainValue(v any) any {
	if b, ok := v.(litBytes); ok {
		return string(b)
	}
	return v
}

// jsonKey is the text json.dumps gives a dict key; lists and dicts are
// unhashable, which makes literal_eval fail.
func jsonKey(k any) (string, bool) {
	switch v := k.(type) {
	case string:
		return v, true
	case litBytes:
		return string(v), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return pyFloat(v), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case nil:
		return "null", true
	}
	return "", false
}

// number parses a Python int or float literal.
func (p *litParser) number() (any, error) {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.' {
			p.pos++
			continue
		}
		if (c == '+' || c == '-') && p.pos > start && (p.s[p.pos-1] == 'e' || p.s[p.pos-1] == 'E') && !isPrefixed(p.s[start:p.pos]) {
			p.pos++
			continue
		}
		break
	}
	return pyNumber(p.s[start:p.pos])
}

func isPrefixed(s string) bool {
	return len(s) > 1 && s[0] == '0' && strings.ContainsRune("xXoObB", rune(s[1]))
}

// pyNumber converts a Python 3 numeric literal token.
func pyNumber(tok string) (any, error) {
	if !validUnderscores(tok) {
		return nil, errNotLiteral
	}
	t := strings.ReplaceAll(tok, "_", "")
	if isPrefixed(t) {
		base := map[byte]int{'x': 16, 'o': 8, 'b': 2}[t[1]|0x20]
		n, err := strconv.ParseInt(t[2:], base, 64)
		if err != nil {
			return nil, errNotLiteral
		}
		return int(n), nil
	}
	if strings.ContainsAny(t, "jJ") {
		return nil, errNotLiteral // complex: not representable in JSON
	}
	if strings.ContainsAny(t, ".eE") {
		for _, c := range t {
			if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
				return nil, errNotLiteral
			}
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return f, nil // ±Inf or 0, as Python gives
			}
			return nil, errNotLiteral
		}
		if math.IsNaN(f) {
			return nil, errNotLiteral
		}
		return f, nil
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return nil, errNotLiteral
		}
	}
	// Python 3 forbids leading zeros in non-zero decimal integers
	if len(t) > 1 && t[0] == '0' && strings.Trim(t, "0") != "" {
		return nil, errNotLiteral
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return nil, errNotLiteral
	}
	return int(n), nil
}

// validUnderscores: an underscore must sit between two digits (or right
// after a base prefix).
func validUnderscores(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			continue
		}
		if i == 0 || i == len(s)-1 {
			return false
		}
		prev, next := s[i-1], s[i+1]
		okPrev := isHexDigit(prev) || i == 2 && isPrefixed(s)
		if !okPrev || !isHexDigit(next) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// toInt is Python's int() on an inventory value.
func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case float64:
		return int(n), nil
	case bool:
		if n {
			return 1, nil
		}
		return 0, nil
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(n, "_", "")))
		if err != nil {
			return 0, errors.New("invalid literal for int(): " + strconv.Quote(n))
		}
		return i, nil
	}
	return 0, errors.New("cannot convert to int")
}
