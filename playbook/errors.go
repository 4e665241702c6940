package playbook

import (
	"fmt"
	"strings"
)

// Error is a load error at a place in a file. Error() lays it out as
// ansible-playbook 2.14 prints parser errors, plus a hint line of ours.
type Error struct {
	Pos  Pos    // File is absolute; Line/Col are 1-based; zero Line means no place
	Msg  string // Ansible's wording, without the "ERROR! " prefix
	Line string // the offending source line (Ansible skips back over blank lines)
	Prev string // the line before it, shown for context
	Hint string // ours, e.g. "did you mean 'hosts'?"; empty when none
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ERROR! ")
	b.WriteString(e.Msg)
	b.WriteString("\n")
	if e.Pos.File != "" && e.Pos.Line > 0 {
		fmt.Fprintf(&b, "\nThe error appears to be in '%s': line %d, column %d, but may\n", e.Pos.File, e.Pos.Line, e.Pos.Col)
		b.WriteString("be elsewhere in the file depending on the exact syntax problem.\n")
		if e.Line != "" {
			col := e.Pos.Col
			if col < 1 {
				col = 1
			}
			b.WriteString("\nThe offending line appears to be:\n\n")
			b.WriteString(e.Prev)
			b.WriteString("\n")
			b.WriteString(e.Line)
			b.WriteString("\n")
			b.WriteString(strings.Repeat(" ", col-1))
			b.WriteString("^ here\n")
		}
	}
	if e.Hint != "" {
		b.WriteString("\nHint: ")
		b.WriteString(e.Hint)
		b.WriteString("\n")
	}
	return b.String()
}

// contextLines picks the lines Ansible shows for a 1-based line number:
// the target (moving up past blank lines) and the line before it, both
// with trailing space removed.
func contextLines(lines []string, line int) (target, prev string) {
	if len(lines) == 0 || line < 1 {
		return "", ""
	}
	i := line - 1
	if i >= len(lines) {
		i = len(lines) - 1
	}
	for strings.TrimSpace(lines[i]) == "" && i > 0 {
		i--
	}
	target = strings.TrimRight(lines[i], " \t\r\n")
	if i > 0 {
		prev = strings.TrimRight(lines[i-1], " \t\r\n")
	}
	return target, prev
}
