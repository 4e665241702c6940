package template

import (
	"errors"
	"fmt"
	"regexp/syntax"
)

// reError words a pattern Go's regexp refuses as Python's re.error does, for the
// mistakes patterns commonly have; Ansible lets re.error through as it is. Other
// refusals stay gossible's own error.
func reError(pattern string, err error) error {
	unsupported := fmt.Errorf("unsupported regular expression %q: %w", pattern, err)
	var se *syntax.Error
	if !errors.As(err, &se) {
		return unsupported
	}
	open, unbalanced, bracket := scanPattern(pattern)
	switch se.Code {
	case syntax.ErrMissingParen:
		if open >= 0 {
			return pyException("re.error", fmt.Sprintf("missing ), unterminated subpattern at position %d", open))
		}
	case syntax.ErrUnexpectedParen:
		if unbalanced >= 0 {
			return pyException("re.error", fmt.Sprintf("unbalanced parenthesis at position %d", unbalanced))
		}
	case syntax.ErrMissingBracket:
		if bracket >= 0 {
			return pyException("re.error", fmt.Sprintf("unterminated character set at position %d", bracket))
		}
	case syntax.ErrMissingRepeatArgument:
		if i := indexRune(pattern, se.Expr); i >= 0 {
			return pyException("re.error", fmt.Sprintf("nothing to repeat at position %d", i))
		}
	}
	// Python may accept what RE2 refuses (lookarounds, backreferences): not re.error
	return unsupported
}

// scanPattern finds, by character position, the outermost unclosed '(', the first ')'
// without its '(' and an unclosed '[' of a pattern (-1: none).
func scanPattern(p string) (open, unbalanced, bracket int) {
	open, unbalanced, bracket = -1, -1, -1
	var stack []int
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\\':
			i++
		case '[':
			start := i
			i++
			if i < len(rs) && rs[i] == '^' {
				i++
			}
			if i < len(rs) && rs[i] == ']' {
				i++
			}
			for i < len(rs) && rs[i] != ']' {
				if rs[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(rs) {
				bracket = start
				return
			}
		case '(':
			stack = append(stack, i)
		case ')':
			if len(stack) == 0 {
				if unbalanced < 0 {
					unbalanced = i
				}
				continue
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		open = stack[0]
	}
	return
}

// indexRune is the character position of the first occurrence of sub in s, or -1.
func indexRune(s, sub string) int {
	rs, sr := []rune(s), []rune(sub)
	for i := 0; i+len(sr) <= len(rs); i++ {
		if string(rs[i:i+len(sr)]) == sub {
			return i
		}
	}
	return -1
}
