package modules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Python's re and Go's RE2 agree on most of what playbooks write; this file
// translates the spellings that differ and refuses, naming the construct,
// what RE2 cannot do (lookarounds, backreferences, conditionals, atomic
// groups, possessive quantifiers, verbose mode).

// reMode says how a pattern is matched, as the Python module does.
type reMode int

const (
	// reLine: re.search on one line that still ends in its "\n"; without
	// MULTILINE, Python's $ also matches before that final newline and ^
	// only at the start (lineinfile).
	reLine reMode = iota
	// reMultiline: re.MULTILINE over a whole text (replace's regexp).
	reMultiline
	// rePlain: no flags (blockinfile's insertafter on a line without its
	// end, replace's before/after section with DOTALL added by the caller).
	rePlain
)

// unsupportedRegexp is the error for a construct RE2 lacks.
func unsupportedRegexp(pat, what string) error {
	return fmt.Errorf("unsupported regular expression %q: %s (gossible matches with Go's RE2 syntax, which has no such construct)", pat, what)
}

// pyRegexp compiles a Python pattern for mode.
func pyRegexp(pat string, mode reMode) (*regexp.Regexp, error) {
	g, err := translatePyRe(pat, mode == reLine)
	if err != nil {
		return nil, err
	}
	switch mode {
	case reLine, reMultiline:
		g = "(?m)" + g
	}
	re, err := regexp.Compile(g)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pat, err)
	}
	return re, nil
}

// translatePyRe rewrites pat into RE2 syntax; anchorStart turns ^ (outside
// classes) into \A, so that it keeps Python's non-multiline meaning when
// the caller adds (?m) for $.
func translatePyRe(pat string, anchorStart bool) (string, error) {
	var b strings.Builder
	inClass := false
	classStart := 0 // index just after '[' (and '^')
	prevQuant := false
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		quant := false
		switch {
		case c == '\\':
			if i+1 >= len(pat) {
				return "", fmt.Errorf("invalid regular expression %q: bad escape (end of pattern)", pat)
			}
			n := pat[i+1]
			switch {
			case n >= '1' && n <= '9' && !inClass:
				j := i + 1
				for j < len(pat) && j < i+3 && pat[j] >= '0' && pat[j] <= '9' {
					j++
				}
				return "", unsupportedRegexp(pat, "backreferences ("+pat[i:j]+") in a pattern")
			case n == 'Z':
				b.WriteString(`\z`)
			case n == 'u' && isHex(pat, i+2, 4):
				b.WriteString(`\x{` + pat[i+2:i+6] + `}`)
				i += 4
			case n == 'U' && isHex(pat, i+2, 8):
				b.WriteString(`\x{` + strings.TrimLeft(pat[i+2:i+10], "0") + `}`)
				i += 8
			case n == 'N' && i+2 < len(pat) && pat[i+2] == '{':
				return "", unsupportedRegexp(pat, `named characters \N{...}`)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			i++
		case inClass:
			if c == ']' && i > classStart {
				inClass = false
			}
			if c == '[' && i+1 < len(pat) && pat[i+1] == ':' {
				// Python has no POSIX classes: "[[:" is a literal '[' then ':'.
				b.WriteString(`\[`)
				continue
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			classStart = i + 1
			if classStart < len(pat) && pat[classStart] == '^' {
				b.WriteByte('^')
				i++
				classStart++
			}
		case c == '^' && anchorStart:
			b.WriteString(`\A`)
		case c == '(' && i+1 < len(pat) && pat[i+1] == '?':
			n, err := translateGroup(pat, i, &b)
			if err != nil {
				return "", err
			}
			i = n
		case c == '*' || c == '+' || c == '?':
			if c == '+' && prevQuant {
				return "", unsupportedRegexp(pat, "possessive quantifiers (*+, ++, ?+, {m,n}+)")
			}
			quant = c != '?' || !prevQuant // "a+?" is lazy, not a new quantifier
			b.WriteByte(c)
		case c == '{':
			j := strings.IndexByte(pat[i:], '}')
			body := ""
			if j > 0 {
				body = pat[i+1 : i+j]
			}
			if j > 0 && validBraces(body) {
				if strings.HasPrefix(body, ",") {
					body = "0" + body
				}
				b.WriteString("{" + body + "}")
				i += j
				quant = true
			} else {
				// Python reads a brace that is no repetition as a literal.
				b.WriteString(`\{`)
			}
		default:
			b.WriteByte(c)
		}
		prevQuant = quant
	}
	return b.String(), nil
}

func isHex(s string, at, n int) bool {
	if at+n > len(s) {
		return false
	}
	_, err := strconv.ParseUint(s[at:at+n], 16, 64)
	return err == nil
}

// validBraces says whether "m", "m,", ",n" or "m,n" is a repetition.
func validBraces(body string) bool {
	lo, hi, comma := strings.Cut(body, ",")
	digits := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	if !digits(lo) || !digits(hi) {
		return false
	}
	if !comma {
		return lo != ""
	}
	return true
}

// unsupportedGroups are the "(?" extensions RE2 lacks, by what follows "(?".
var unsupportedGroups = []struct{ prefix, what string }{
	{"=", "lookahead assertions (?=...)"},
	{"!", "negative lookahead assertions (?!...)"},
	{"<=", "lookbehind assertions (?<=...)"},
	{"<!", "negative lookbehind assertions (?<!...)"},
	{"P=", "named backreferences (?P=name)"},
	{"(", "conditional groups (?(id)yes|no)"},
	{">", "atomic groups (?>...)"},
}

// translateGroup handles "(?" at pat[i] and returns the index of the last
// byte it consumed.
func translateGroup(pat string, i int, b *strings.Builder) (int, error) {
	rest := pat[i+2:]
	for _, u := range unsupportedGroups {
		if strings.HasPrefix(rest, u.prefix) {
			return 0, unsupportedRegexp(pat, u.what)
		}
	}
	switch {
	case strings.HasPrefix(rest, "#"):
		j := strings.IndexByte(rest, ')')
		if j < 0 {
			return 0, fmt.Errorf("invalid regular expression %q: missing ), unterminated comment", pat)
		}
		return i + 2 + j, nil
	case strings.HasPrefix(rest, "P<"), strings.HasPrefix(rest, ":"):
		b.WriteString("(?")
		return i + 1, nil
	}
	// Inline flags: (?aiLmsux) or (?flags-flags:...).
	j := 0
	for j < len(rest) && strings.IndexByte("aiLmsux-", rest[j]) >= 0 {
		j++
	}
	if j == 0 || j >= len(rest) || (rest[j] != ')' && rest[j] != ':') {
		return 0, fmt.Errorf("invalid regular expression %q: unknown extension ?%c", pat, rest[0])
	}
	var keep strings.Builder
	for _, f := range rest[:j] {
		switch f {
		case 'x':
			return 0, unsupportedRegexp(pat, "verbose mode (?x)")
		case 'L':
			return 0, unsupportedRegexp(pat, "locale mode (?L)")
		case 'a', 'u':
			// ASCII/Unicode classes: RE2's \w \d \s are ASCII already; (?u)
			// would mean "ungreedy" to RE2, so it is dropped.
		default:
			keep.WriteRune(f)
		}
	}
	flags := strings.TrimSuffix(keep.String(), "-")
	if rest[j] == ')' {
		if flags != "" && flags != "-" {
			b.WriteString("(?" + flags + ")")
		}
		return i + 2 + j, nil
	}
	if flags == "" || flags == "-" {
		b.WriteString("(?:")
	} else {
		b.WriteString("(?" + flags + ":")
	}
	return i + 2 + j, nil
}

// pyTemplate is a parsed Python replacement string (re.sub's repl,
// match.expand's template): literal text and group references.
type pyTemplate []tmplPart

type tmplPart struct {
	lit   string
	group int // -1: literal
}

// parsePyTemplate reads Python's replacement syntax: \1..\99, \g<n>,
// \g<name>, the escapes \n \t \r \f \v \a \b \\ and octal \0, \ooo. Another
// backslash before an ASCII letter is Python's "bad escape" error; before
// anything else it stays as it is.
func parsePyTemplate(re *regexp.Regexp, s string) (pyTemplate, error) {
	var out pyTemplate
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, tmplPart{lit: lit.String(), group: -1})
			lit.Reset()
		}
	}
	group := func(n int) error {
		if n > re.NumSubexp() {
			return fmt.Errorf("invalid group reference %d", n)
		}
		flush()
		out = append(out, tmplPart{group: n})
		return nil
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			lit.WriteByte(c)
			continue
		}
		i++
		c = s[i]
		switch {
		case c == 'g':
			if i+1 >= len(s) || s[i+1] != '<' {
				return nil, fmt.Errorf("missing < at position %d", i+1)
			}
			end := strings.IndexByte(s[i+2:], '>')
			if end < 0 {
				return nil, fmt.Errorf("missing >, unterminated name at position %d", i+2)
			}
			name := s[i+2 : i+2+end]
			i += 2 + end
			if n, err := strconv.Atoi(name); err == nil {
				if err := group(n); err != nil {
					return nil, err
				}
				continue
			}
			n := re.SubexpIndex(name)
			if n < 0 {
				return nil, fmt.Errorf("unknown group name '%s'", name)
			}
			_ = group(n)
		case c == '0' || (c >= '1' && c <= '7' && i+2 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2])):
			j := i
			for j < len(s) && j < i+3 && isOctal(s[j]) {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			lit.WriteRune(rune(v))
			i = j - 1
		case c >= '1' && c <= '9':
			j := i + 1
			if j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			n, _ := strconv.Atoi(s[i:j])
			if err := group(n); err != nil {
				return nil, err
			}
			i = j - 1
		default:
			if e, ok := pyEscapes[c]; ok {
				lit.WriteByte(e)
			} else if c < 0x80 && (c|0x20 >= 'a' && c|0x20 <= 'z') {
				return nil, fmt.Errorf("bad escape \\%c at position %d", c, i-1)
			} else {
				lit.WriteByte('\\')
				lit.WriteByte(c)
			}
		}
	}
	flush()
	return out, nil
}

var pyEscapes = map[byte]byte{'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v', 'a': '\a', 'b': '\b', '\\': '\\'}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// expand appends the template's text for match m (indices into src) to dst;
// a group that took no part in the match gives "" as in Python 3.5+.
func (t pyTemplate) expand(dst, src []byte, m []int) []byte {
	for _, p := range t {
		if p.group < 0 {
			dst = append(dst, p.lit...)
			continue
		}
		if s, e := m[2*p.group], m[2*p.group+1]; s >= 0 {
			dst = append(dst, src[s:e]...)
		}
	}
	return dst
}

// pySubn is re.subn(re, repl, src): every non-overlapping match replaced,
// and how many there were.
func pySubn(re *regexp.Regexp, t pyTemplate, src []byte) ([]byte, int) {
	var out []byte
	last, n := 0, 0
	for _, m := range re.FindAllSubmatchIndex(src, -1) {
		out = append(out, src[last:m[0]]...)
		out = t.expand(out, src, m)
		last = m[1]
		n++
	}
	if n == 0 {
		return src, 0
	}
	return append(out, src[last:]...), n
}
