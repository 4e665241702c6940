package inventory

import "errors"

// shlexSplit splits s as Python's shlex.split(s, comments=True) does (POSIX
// mode): the INI plugin uses it on host lines, so quotes are removed before
// a value is typed and an unquoted # ends the line.
func shlexSplit(s string) ([]string, error) {
	var (
		tokens []string
		tok    []rune
		quoted bool
		state  = ' ' // ' ' between tokens, 'a' in a word, '\'' or '"' in quotes, '\\' after escape
		escSt  rune  // state to return to after an escape
	)
	emit := func() {
		if len(tok) > 0 || quoted {
			tokens = append(tokens, string(tok))
		}
		tok, quoted = tok[:0:0], false
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch state {
		case ' ', 'a':
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '\n':
				if state == 'a' {
					emit()
				}
				state = ' '
			case c == '#':
				// comment to end of line; lines never hold a newline here
				if state == 'a' {
					emit()
				}
				return tokens, nil
			case c == '\'' || c == '"':
				state = c
			case c == '\\':
				escSt, state = 'a', '\\'
			default:
				tok = append(tok, c)
				state = 'a'
			}
		case '\'', '"':
			switch {
			case c == state:
				quoted, state = true, 'a'
			case c == '\\' && state == '"':
				escSt, state = state, '\\'
			default:
				tok = append(tok, c)
			}
		case '\\':
			// inside double quotes a backslash only escapes \ and "
			if escSt == '"' && c != '\\' && c != '"' {
				tok = append(tok, '\\')
			}
			tok = append(tok, c)
			state = escSt
		}
	}
	switch state {
	case '\'', '"':
		return nil, errors.New("no closing quotation")
	case '\\':
		return nil, errors.New("no escaped character")
	case 'a':
		emit()
	}
	return tokens, nil
}
