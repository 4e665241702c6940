// Package display writes to the terminal the way Ansible's Display class
// does: banners padded with stars to the column width, ANSI colours only
// when enabled, "[WARNING]: " and "[DEPRECATION WARNING]: " messages wrapped
// to the width on stderr and shown once each.
package display

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Ansible's colour names and their ANSI codes (ansible.utils.color).
const (
	Normal       = "0"
	Green        = "0;32" // ok
	Yellow       = "0;33" // changed
	Red          = "0;31" // failed
	Cyan         = "0;36" // skipped
	BrightRed    = "1;31" // unreachable
	BrightPurple = "1;35" // warnings
	Purple       = "0;35" // deprecations
	Blue         = "0;34" // verbose
	DarkGray     = "1;30" // debug, retries
)

// Display writes Ansible-formatted text. It is safe for concurrent use.
type Display struct {
	Out, Err io.Writer
	// Color enables ANSI colours (a TTY without NO_COLOR, or force_color).
	Color bool
	// Columns is Ansible's display width: max(79, terminal width - 1);
	// 79 when stdout is not a terminal, which makes banners 80 wide.
	Columns int

	mu   sync.Mutex
	seen map[string]bool
}

// New returns a Display with Ansible's non-TTY width.
func New(out, err io.Writer, color bool) *Display {
	return &Display{Out: out, Err: err, Color: color, Columns: 79}
}

// Colorize wraps text in the colour's escape codes, line by line, when
// colours are on.
func (d *Display) Colorize(text, color string) string {
	if !d.Color || color == "" {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = "\033[" + color + "m" + l + "\033[0m"
	}
	return strings.Join(lines, "\n")
}

// Print writes msg and a newline to stdout (or stderr) in the colour.
func (d *Display) Print(msg, color string, stderr bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.print(msg, color, stderr)
}

func (d *Display) print(msg, color string, stderr bool) {
	msg = strings.TrimSuffix(msg, "\n")
	w := d.Out
	if stderr {
		w = d.Err
	}
	fmt.Fprintln(w, d.Colorize(msg, color))
}

// Banner prints "\nMSG ****" padded to the width, as Display.banner.
func (d *Display) Banner(msg, color string) {
	msg = strings.TrimSpace(msg)
	stars := d.columns() - utf8.RuneCountInString(msg)
	if stars <= 3 {
		stars = 3
	}
	d.Print("\n"+msg+" "+strings.Repeat("*", stars), color, false)
}

func (d *Display) columns() int {
	if d.Columns <= 0 {
		return 79
	}
	return d.Columns
}

// Warning prints "[WARNING]: msg" wrapped to the width on stderr, once.
func (d *Display) Warning(msg string) {
	text := strings.Join(Wrap("[WARNING]: "+msg, d.columns(), true), "\n")
	d.once(text, BrightPurple)
}

// WarningEach prints "[WARNING]: msg" as Warning does, even when it was printed before.
func (d *Display) WarningEach(msg string) {
	text := strings.Join(Wrap("[WARNING]: "+msg, d.columns(), true), "\n")
	d.mu.Lock()
	defer d.mu.Unlock()
	d.print(text, BrightPurple, true)
}

// Deprecated prints "[DEPRECATION WARNING]: msg" on stderr, once. msg is
// the complete message after the prefix.
func (d *Display) Deprecated(msg string) {
	text := strings.TrimSpace(strings.Join(Wrap("[DEPRECATION WARNING]: "+msg, d.columns(), false), "\n"))
	d.once(text, Purple)
}

func (d *Display) once(text, color string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if d.seen[text] {
		return
	}
	d.seen[text] = true
	d.print(text, color, true)
}

// Wrap splits text into lines of at most width characters at whitespace, as
// Python's textwrap.wrap does (long words are broken; dropWhitespace strips
// spaces at line edges). Whitespace runs count as single separators only when
// dropWhitespace is set, as textwrap keeps them otherwise.
func Wrap(text string, width int, dropWhitespace bool) []string {
	// textwrap first expands tabs and turns every whitespace into a space.
	text = strings.NewReplacer("\t", "        ", "\n", " ", "\r", " ", "\v", " ", "\f", " ").Replace(text)
	chunks := splitChunks(text)
	var lines []string
	for len(chunks) > 0 {
		var cur []string
		curLen := 0
		if dropWhitespace && len(lines) > 0 && strings.TrimSpace(chunks[0]) == "" {
			chunks = chunks[1:]
		}
		for len(chunks) > 0 {
			l := utf8.RuneCountInString(chunks[0])
			if curLen+l <= width {
				cur = append(cur, chunks[0])
				curLen += l
				chunks = chunks[1:]
			} else {
				break
			}
		}
		if len(chunks) > 0 && utf8.RuneCountInString(chunks[0]) > width {
			// Break a word longer than the width.
			space := width - curLen
			if space < 1 {
				space = 1
			}
			r := []rune(chunks[0])
			if curLen == 0 || space > 0 {
				cur = append(cur, string(r[:space]))
				chunks[0] = string(r[space:])
			}
		}
		if dropWhitespace && len(cur) > 0 && strings.TrimSpace(cur[len(cur)-1]) == "" {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, ""))
		} else if len(chunks) == 0 {
			break
		}
	}
	return lines
}

// splitChunks splits text into alternating words and whitespace runs, as
// textwrap's wordsep_simple_re does (hyphen breaking aside).
func splitChunks(text string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(text); i++ {
		if i == len(text) || (text[i] == ' ') != (text[i-1] == ' ') {
			out = append(out, text[start:i])
			start = i
		}
	}
	return out
}
