package pyliteral

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Python string literals for Parse: prefixes, quotes, escapes and
// implicit concatenation of adjacent literals.

func isStrPrefix(s string) bool {
	switch strings.ToLower(s) {
	case "r", "u", "b", "br", "rb":
		return true
	}
	return false
}

// strings parses one or more adjacent string literals (implicit concatenation).
func (p *parser) strings() (any, error) {
	var b strings.Builder
	kind := 0 // 1 str, 2 bytes
	for {
		p.space()
		start := p.pos
		for p.pos < len(p.s) && p.s[p.pos] != '\'' && p.s[p.pos] != '"' && (p.s[p.pos]|0x20 >= 'a' && p.s[p.pos]|0x20 <= 'z') {
			p.pos++
		}
		prefix := strings.ToLower(p.s[start:p.pos])
		if p.pos >= len(p.s) || (p.s[p.pos] != '\'' && p.s[p.pos] != '"') || (prefix != "" && !isStrPrefix(prefix)) {
			if kind == 0 {
				return nil, ErrNotLiteral
			}
			p.pos = start
			break
		}
		k := 1
		if strings.Contains(prefix, "b") {
			k = 2
		}
		if kind != 0 && kind != k {
			return nil, ErrNotLiteral // cannot mix bytes and str
		}
		kind = k
		s, err := p.stringLit(strings.Contains(prefix, "r"), k == 2)
		if err != nil {
			return nil, err
		}
		b.WriteString(s)
		save := p.pos
		p.space()
		if c := p.peek(); c != '\'' && c != '"' && !(c|0x20 >= 'a' && c|0x20 <= 'z') {
			p.pos = save
			break
		}
		p.pos = save
	}
	if kind == 2 {
		return litBytes(b.String()), nil
	}
	return b.String(), nil
}

// stringLit parses one quoted literal at p.pos (single, double or triple quoted).
func (p *parser) stringLit(raw, isBytes bool) (string, error) {
	q := p.s[p.pos]
	delim := string(q)
	if strings.HasPrefix(p.s[p.pos:], strings.Repeat(delim, 3)) {
		delim = strings.Repeat(delim, 3)
	}
	p.pos += len(delim)
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			return "", ErrNotLiteral
		}
		if strings.HasPrefix(p.s[p.pos:], delim) {
			p.pos += len(delim)
			return b.String(), nil
		}
		c := p.s[p.pos]
		if c == '\n' && len(delim) == 1 {
			return "", ErrNotLiteral
		}
		if c != '\\' {
			r, n := utf8.DecodeRuneInString(p.s[p.pos:])
			if isBytes && r >= 0x80 {
				return "", ErrNotLiteral
			}
			b.WriteRune(r)
			p.pos += n
			continue
		}
		if p.pos+1 >= len(p.s) {
			return "", ErrNotLiteral
		}
		if raw {
			// a raw string keeps the backslash but it still protects the quote
			b.WriteByte('\\')
			r, n := utf8.DecodeRuneInString(p.s[p.pos+1:])
			b.WriteRune(r)
			p.pos += 1 + n
			continue
		}
		if err := p.escape(&b, isBytes); err != nil {
			return "", err
		}
	}
}

// escape decodes one backslash escape at p.pos.
func (p *parser) escape(b *strings.Builder, isBytes bool) error {
	e := p.s[p.pos+1]
	p.pos += 2
	simple := map[byte]byte{'\\': '\\', '\'': '\'', '"': '"', 'a': 7, 'b': 8, 'f': 12, 'n': 10, 'r': 13, 't': 9, 'v': 11}
	if r, ok := simple[e]; ok {
		b.WriteByte(r)
		return nil
	}
	hexN := func(n int) (int, error) {
		if p.pos+n > len(p.s) {
			return 0, ErrNotLiteral
		}
		v, err := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
		if err != nil {
			return 0, ErrNotLiteral
		}
		p.pos += n
		return int(v), nil
	}
	switch {
	case e == '\n':
		return nil
	case e >= '0' && e <= '7':
		v := int(e - '0')
		for i := 0; i < 2 && p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '7'; i++ {
			v = v*8 + int(p.s[p.pos]-'0')
			p.pos++
		}
		writeCode(b, v, isBytes)
		return nil
	case e == 'x':
		v, err := hexN(2)
		if err != nil {
			return err
		}
		writeCode(b, v, isBytes)
		return nil
	case (e == 'u' || e == 'U') && !isBytes:
		n := 4
		if e == 'U' {
			n = 8
		}
		v, err := hexN(n)
		if err != nil || v > unicode.MaxRune {
			return ErrNotLiteral
		}
		b.WriteRune(rune(v))
		return nil
	case e == 'N' && !isBytes:
		return ErrNotLiteral // named escapes need the Unicode name table
	}
	// unknown escapes stay as written
	b.WriteByte('\\')
	p.pos--
	r, n := utf8.DecodeRuneInString(p.s[p.pos:])
	b.WriteRune(r)
	p.pos += n
	return nil
}

func writeCode(b *strings.Builder, v int, isBytes bool) {
	if isBytes {
		// to_text decodes bytes as UTF-8 with surrogateescape; keep ASCII exact
		if v < 0x80 {
			b.WriteByte(byte(v))
			return
		}
	}
	b.WriteRune(rune(v))
}
