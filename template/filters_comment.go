package template

import (
	"fmt"
	"strings"
)

func init() {
	registerFilter(filterComment, "comment")
}

// commentStyles are the predefined comment decorations.
var commentStyles = map[string]map[string]any{
	"plain":  {"decoration": "# "},
	"erlang": {"decoration": "% "},
	"c":      {"decoration": "// "},
	"cblock": {"beginning": "/*", "decoration": " * ", "end": " */"},
	"xml":    {"beginning": "<!--", "decoration": " - ", "end": "-->"},
}

// comment(style='plain', **params): the text as a comment block — beginning, prefix
// lines, each line decorated, postfix lines, end — any part overridable by keyword.
func filterComment(c *call) (any, error) {
	if err := c.most("comment", 1); err != nil {
		return nil, err
	}
	text, ok := c.in.(string)
	if !ok {
		return nil, &plainError{fmt.Sprintf("'%s' object has no attribute 'replace'", typeName(c.in))}
	}
	styleName := pyStr(c.arg(0, "style", "plain"))
	style, ok := commentStyles[styleName]
	if !ok {
		return nil, &plainError{pyRepr(styleName)}
	}
	around := pyStr(style["decoration"])
	if d, ok := c.kwargs["decoration"]; ok {
		around = pyStr(d)
	}
	p := map[string]any{
		"newline": "\n", "beginning": "", "prefix": strings.TrimRight(around, " \t\n\r\f\v"),
		"prefix_count": 1, "decoration": "", "postfix": strings.TrimRight(around, " \t\n\r\f\v"),
		"postfix_count": 1, "end": "",
	}
	for k, v := range style {
		p[k] = v
	}
	for k, v := range c.kwargs {
		if k != "style" {
			p[k] = v
		}
	}
	str := func(k string) string { return pyStr(p[k]) }
	count := func(k string) int {
		f, _ := number(p[k])
		if s, ok := p[k].(string); ok {
			fmt.Sscan(s, &f)
		}
		return max(int(f), 0)
	}
	nl, deco := str("newline"), str("decoration")
	var b strings.Builder
	if str("beginning") != "" {
		b.WriteString(str("beginning") + nl)
	}
	if prefix := str("prefix"); prefix != "" {
		line := prefix + nl
		if prefix == nl {
			line = nl
		}
		b.WriteString(strings.Repeat(line, count("prefix_count")))
	}
	body := deco + strings.ReplaceAll(text, nl, nl+deco)
	b.WriteString(strings.ReplaceAll(body, deco+nl, strings.TrimRight(deco, " \t\n\r\f\v")+nl))
	for range count("postfix_count") {
		b.WriteString(nl + str("postfix"))
	}
	if str("end") != "" {
		b.WriteString(nl + str("end"))
	}
	return b.String(), nil
}
