package inventory

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseError is returned for an inventory source, vars file or host
// pattern that cannot be used. Ansible itself only warns about an
// unparseable inventory source ("Unable to parse X as an inventory
// source") and continues without it; Load returns the rest of the
// inventory together with this error so the caller can do the same.
type ParseError struct {
	File   string // path of the source or vars file
	Line   int    // 1-based; 0 when not known
	Col    int    // 1-based; 0 when not known
	Plugin string // "ini", "yaml", "host_list", "vars", "source"
	Msg    string // what is wrong, lowercase
	Text   string // the offending line or value, when there is one
	Hint   string // how to fix it, when there is a useful one
	// Tried holds the failures of the other plugins that were tried on
	// the same source (Ansible prints each as "Failed to parse … with X
	// plugin").
	Tried []*ParseError
	// Verbatim: Msg is Ansible's whole message (a vault failure), shown
	// without the file and plugin prefix.
	Verbatim bool
}

func (e *ParseError) Error() string {
	if e.Verbatim {
		return e.Msg
	}
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	}
	b.WriteString(": ")
	switch e.Plugin {
	case "ini", "yaml":
		b.WriteString(e.Plugin + " inventory: ")
	case "vars":
		b.WriteString("vars file: ")
	case "host_list":
		b.WriteString("host list: ")
	}
	b.WriteString(e.Msg)
	if e.Text != "" {
		fmt.Fprintf(&b, " in %q", e.Text)
	}
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

// lineError is raised inside a parser; the parser's caller adds the file.
type lineError struct {
	line, col  int
	msg, hint  string
	text       string
	notThisFmt bool // the source is clearly not in this plugin's format
}

func (e *lineError) Error() string { return e.msg }

func errAt(line int, text, hint, format string, args ...any) *lineError {
	return &lineError{line: line, text: text, hint: hint, msg: fmt.Sprintf(format, args...)}
}

func (e *lineError) toParseError(file, plugin string) *ParseError {
	return &ParseError{File: file, Line: e.line, Col: e.col, Plugin: plugin, Msg: e.msg, Text: e.text, Hint: e.hint}
}
