package yamlvars

import (
	"strconv"
	"strings"
)

// Error is a decoding failure at a place in a named file. Line and Col
// are 1-based, 0 when unknown.
type Error struct {
	File      string
	Line, Col int
	Msg       string // what is wrong
	Hint      string // how to fix it, when there is a useful one
	// Syntax is set for YAML syntax errors (the text is not YAML at all).
	Syntax bool
	Err    error // the cause (a vault error), if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
			if e.Col > 0 {
				b.WriteString(":" + strconv.Itoa(e.Col))
			}
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(", column " + strconv.Itoa(e.Col))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
