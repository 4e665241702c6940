package template

import (
	"regexp"
	"strings"
)

func init() {
	registerFilter(filterRegexFindall, "regex_findall")
	registerFilter(filterRegexEscape, "regex_escape")
}

// regex_findall(value, regex, multiline=False, ignorecase=False) is re.findall: the
// matches, or with one group that group, or with several a list of the groups (empty when
// a group did not take part).
func filterRegexFindall(c *call) (any, error) {
	if err := c.sig("regex_findall", []string{"regex"}, "multiline", "ignorecase"); err != nil {
		return nil, err
	}
	pattern, err := c.str(0, "regex", "")
	if err != nil {
		return nil, err
	}
	flags := &call{kwargs: map[string]any{
		"multiline":  c.arg(1, "multiline", false),
		"ignorecase": c.arg(2, "ignorecase", false),
	}}
	re, err := compileRegex(pattern, flags)
	if err != nil {
		return nil, err
	}
	s := pyStr(c.in)
	out := []any{}
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		out = append(out, findallItem(re, s, m))
	}
	return out, nil
}

func findallItem(re *regexp.Regexp, s string, m []int) any {
	group := func(i int) any {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	switch n := re.NumSubexp(); n {
	case 0:
		return group(0)
	case 1:
		return group(1)
	default:
		t := make([]any, n)
		for i := range t {
			t[i] = group(i + 1)
		}
		return t
	}
}

// pySpecial is what Python 3.7+'s re.escape escapes.
const pySpecial = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"

// regex_escape(string, re_type='python').
func filterRegexEscape(c *call) (any, error) {
	if err := c.sig("regex_escape", nil, "re_type"); err != nil {
		return nil, err
	}
	s := pyStr(c.in)
	special := ""
	switch t := pyStr(c.arg(0, "re_type", "python")); t {
	case "python":
		special = pySpecial
	case "posix_basic":
		special = `].[^$*\`
	case "posix_extended":
		return nil, &plainError{"Regex type (" + t + ") not yet implemented"}
	default:
		return nil, &plainError{"Invalid regex type (" + t + ")"}
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(special, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}
