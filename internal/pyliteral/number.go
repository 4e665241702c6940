package pyliteral

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// number parses a Python int or float literal.
func (p *parser) number() (any, error) {
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
		return nil, ErrNotLiteral
	}
	t := strings.ReplaceAll(tok, "_", "")
	if isPrefixed(t) {
		base := map[byte]int{'x': 16, 'o': 8, 'b': 2}[t[1]|0x20]
		n, err := strconv.ParseInt(t[2:], base, 64)
		if err != nil {
			return nil, ErrNotLiteral
		}
		return int(n), nil
	}
	if strings.ContainsAny(t, "jJ") {
		return nil, ErrNotLiteral // complex: not representable in JSON
	}
	if strings.ContainsAny(t, ".eE") {
		for _, c := range t {
			if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
				return nil, ErrNotLiteral
			}
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
				return f, nil // ±Inf or 0, as Python gives
			}
			return nil, ErrNotLiteral
		}
		if math.IsNaN(f) {
			return nil, ErrNotLiteral
		}
		return f, nil
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return nil, ErrNotLiteral
		}
	}
	// Python 3 forbids leading zeros in non-zero decimal integers
	if len(t) > 1 && t[0] == '0' && strings.Trim(t, "0") != "" {
		return nil, ErrNotLiteral
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return nil, ErrNotLiteral
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
