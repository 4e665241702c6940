// Package shellquote quotes strings for POSIX sh. Every value interpolated
// into a remote command line goes through Quote, so the shell sees exactly
// the bytes given: no expansion, no word splitting, no globbing.
//
// A string that contains a NUL byte cannot be passed to a shell at all; Quote
// still quotes it, but the caller should reject such input first.
package shellquote

import "strings"

// Quote returns s quoted for POSIX sh. Words made only of safe characters
// are returned unchanged; the empty string becomes a pair of single quotes;
// everything else is put in single quotes, with each quote inside written as
// quote, backslash, quote, quote.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	if isSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			// Close the quote, add an escaped quote, reopen.
			b.WriteString(`'\''`)
			continue
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// Join quotes each argument and joins them with single spaces, giving a
// command line that sh splits back into exactly args.
func Join(args ...string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(Quote(a))
	}
	return b.String()
}

// isSafe reports whether s needs no quoting. The set is deliberately small:
// letters, digits and punctuation that no POSIX shell treats specially in any
// position of a word. '=' is excluded so a first word is never taken as an
// assignment, and '~' so a word is never tilde-expanded.
func isSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '_', c == '-', c == '.', c == '/', c == ',', c == ':', c == '+', c == '@', c == '%':
		default:
			return false
		}
	}
	return true
}
