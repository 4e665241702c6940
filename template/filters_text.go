package template

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

func init() {
	registerFilter(filterQuote, "quote")
	registerFilter(filterRegexReplace, "regex_replace")
	registerFilter(filterRegexSearch, "regex_search")
}

var reShellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// quote is Python's shlex.quote (POSIX shell single quoting).
func filterQuote(c *call) (any, error) {
	s := pyStr(c.in)
	if c.in == nil {
		s = ""
	}
	if s == "" {
		return "''", nil
	}
	if reShellSafe.MatchString(s) {
		return s, nil
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'", nil
}

// compileRegex translates the Python regex syntax Go's RE2 shares and compiles it.
func compileRegex(pattern string, c *call) (*regexp.Regexp, error) {
	flags := ""
	if truthy(c.kwargs["ignorecase"]) {
		flags += "i"
	}
	if truthy(c.kwargs["multiline"]) {
		flags += "m"
	}
	p := strings.ReplaceAll(pattern, `\Z`, `\z`)
	if flags != "" {
		p = "(?" + flags + ")" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, reError(pattern, err)
	}
	return re, nil
}

var rePyBackref = regexp.MustCompile(`\\(\d+)|\\g<(\w+)>|\$`)

// pyReplacement turns a Python re.sub replacement (\1, \g<name>) into Go's (${1}).
func pyReplacement(repl string) string {
	return rePyBackref.ReplaceAllStringFunc(repl, func(m string) string {
		switch {
		case m == "$":
			return "$$"
		case strings.HasPrefix(m, `\g<`):
			return "${" + m[3:len(m)-1] + "}"
		default:
			return "${" + m[1:] + "}"
		}
	})
}

// regex_replace(value, pattern, replacement="", ignorecase=False, multiline=False).
func filterRegexReplace(c *call) (any, error) {
	pattern, err := c.str(0, "pattern", "")
	if err != nil {
		return nil, err
	}
	repl, err := c.str(1, "replacement", "")
	if err != nil {
		return nil, err
	}
	re, err := compileRegex(pattern, c)
	if err != nil {
		return nil, err
	}
	return re.ReplaceAllString(pyStr(c.in), pyReplacement(repl)), nil
}

// regex_search(value, regex, '\\1', '\\g<name>'...): the match, or the listed groups,
// or None.
func filterRegexSearch(c *call) (any, error) {
	pattern, err := c.str(0, "regex", "")
	if err != nil {
		return nil, err
	}
	re, err := compileRegex(pattern, c)
	if err != nil {
		return nil, err
	}
	// the group arguments are read first: \g<name> or \N, as Ansible's re.match reads
	// them (a malformed one fails on the None match)
	var groups []any
	for _, a := range c.args[1:] {
		ref, ok := a.(string)
		if !ok {
			return nil, pyException("AttributeError", fmt.Sprintf("'%s' object has no attribute 'startswith'", typeName(a)))
		}
		noMatch := pyException("AttributeError", "'NoneType' object has no attribute 'group'")
		switch {
		case strings.HasPrefix(ref, `\g`):
			m := reGroupName.FindStringSubmatch(ref)
			if m == nil {
				return nil, noMatch
			}
			groups = append(groups, m[1])
		case strings.HasPrefix(ref, `\`):
			m := reGroupNumber.FindStringSubmatch(ref)
			if m == nil {
				return nil, noMatch
			}
			n, err := strconv.Atoi(m[1])
			if err != nil {
				return nil, noMatch
			}
			groups = append(groups, n)
		default:
			return nil, &plainError{"Unknown argument"}
		}
	}
	s := pyStr(c.in)
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, nil
	}
	if len(groups) == 0 {
		return s[m[0]:m[1]], nil
	}
	var out []any
	for _, g := range groups {
		idx := -1
		switch t := g.(type) {
		case int:
			idx = t
		case string:
			idx = re.SubexpIndex(t)
		}
		if idx < 0 || 2*idx+1 >= len(m) {
			return nil, pyException("IndexError", "no such group")
		}
		if m[2*idx] < 0 {
			out = append(out, nil)
		} else {
			out = append(out, s[m[2*idx]:m[2*idx+1]])
		}
	}
	return out, nil
}

var (
	reGroupName   = regexp.MustCompile(`^\\g<(\S+)>`)
	reGroupNumber = regexp.MustCompile(`^\\(\d+)`)
)

func init() {
	registerFilter(filterSplit, "split")
}

// split(sep=None, maxsplit=-1) is Python's str.split.
func filterSplit(c *call) (any, error) {
	s, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("descriptor 'split' for 'str' objects doesn't apply to a '%s' object", typeName(c.in))
	}
	max := -1
	switch n := c.arg(1, "maxsplit", -1).(type) {
	case int:
		max = n
	case bool:
		if n {
			max = 1
		} else {
			max = 0
		}
	default:
		return nil, typeErrorf("'%s' object cannot be interpreted as an integer", typeName(n))
	}
	var parts []string
	sep := c.arg(0, "sep", nil)
	if sep == nil {
		parts = splitWhitespace(s, max)
	} else {
		sp, ok := sep.(string)
		if !ok {
			return nil, typeErrorf("must be str or None, not %s", typeName(sep))
		}
		if sp == "" {
			return nil, pyException("ValueError", "empty separator")
		}
		n := -1
		if max >= 0 {
			n = max + 1
		}
		parts = strings.SplitN(s, sp, n)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// splitWhitespace splits on runs of whitespace, as str.split() without a separator.
func splitWhitespace(s string, max int) []string {
	if max < 0 {
		return strings.Fields(s)
	}
	var out []string
	rest := strings.TrimLeft(s, " \t\n\r\f\v")
	for rest != "" && len(out) < max {
		i := strings.IndexAny(rest, " \t\n\r\f\v")
		if i < 0 {
			break
		}
		out = append(out, rest[:i])
		rest = strings.TrimLeft(rest[i:], " \t\n\r\f\v")
	}
	if rest != "" {
		out = append(out, rest)
	}
	return out
}
