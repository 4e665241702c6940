package template

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
)

// to_yaml is yaml.dump(default_flow_style=None): collections holding only scalars are
// written in flow style. to_nice_yaml is yaml.dump(indent=4, default_flow_style=False).
// The emitter follows PyYAML's layout; long lines are not folded. Keys are sorted, as
// yaml.dump does, unless sort_keys=False asks for the dict's order.
// yamlKeywords are the keyword arguments yaml.dump takes; any other fails there, which
// Ansible reports as "to_yaml - <error>".
var yamlKeywords = []string{"Dumper", "default_style", "default_flow_style", "canonical", "indent",
	"width", "allow_unicode", "line_break", "encoding", "explicit_start", "explicit_end",
	"version", "tags", "sort_keys"}

func yamlKeywordsOK(fn string, c *call) error {
	for _, k := range sortedKeys(c.kwargs) {
		if indexOf(yamlKeywords, k) < 0 {
			cause := fmt.Sprintf("dump_all() got an unexpected keyword argument '%s'", k)
			return &causedError{msg: fn + " - " + cause, cause: cause}
		}
	}
	return nil
}

func filterToYAML(c *call) (any, error) {
	if err := yamlKeywordsOK("to_yaml", c); err != nil {
		return nil, err
	}
	if err := yamlRepresentable("to_yaml", c.in); err != nil {
		return nil, err
	}
	w := &yamlWriter{indent: yamlIndent(c, 2), flowLeaves: true, keepOrder: keepOrder(c)}
	return w.document(c.in), nil
}

func filterToNiceYAML(c *call) (any, error) {
	if err := yamlKeywordsOK("to_nice_yaml", c); err != nil {
		return nil, err
	}
	if err := yamlRepresentable("to_nice_yaml", c.in); err != nil {
		return nil, err
	}
	w := &yamlWriter{indent: yamlIndent(c, 4), keepOrder: keepOrder(c)}
	return w.document(c.in), nil
}

func keepOrder(c *call) bool {
	v, ok := c.kwargs["sort_keys"]
	return ok && !truthy(v)
}

func (w *yamlWriter) keys(m map[string]any) []string {
	if w.keepOrder {
		return orderedKeys(m)
	}
	return sortedKeys(m)
}

func yamlIndent(c *call, def int) int {
	if v, ok := c.kwargs["indent"].(int); ok && v > 1 {
		return v
	}
	return def
}

type yamlWriter struct {
	b          strings.Builder
	indent     int
	flowLeaves bool
	keepOrder  bool // sort_keys=False
}

func (w *yamlWriter) document(v any) string {
	v = normalize(v)
	switch {
	case w.isFlow(v):
		w.flow(v, w.indent)
		w.b.WriteByte('\n')
	case isCollection(v):
		w.block(v, 0)
	default:
		w.scalar(v, w.indent, false)
		w.b.WriteString("\n")
	}
	return w.b.String()
}

func isCollection(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

// isFlow reports whether a collection is written in flow style: empty ones always, and
// with flowLeaves those whose children are all scalars.
func (w *yamlWriter) isFlow(v any) bool {
	switch t := v.(type) {
	case []any:
		if len(t) == 0 {
			return true
		}
		if !w.flowLeaves {
			return false
		}
		for _, e := range t {
			if isCollection(e) {
				return false
			}
		}
		return true
	case map[string]any:
		if len(t) == 0 {
			return true
		}
		if !w.flowLeaves {
			return false
		}
		for _, e := range t {
			if isCollection(e) {
				return false
			}
		}
		return true
	}
	return false
}

// flow writes v in flow style; level is the indent of this flow collection (PyYAML
// indents each nesting level, and continuation lines of its scalars, by the indent).
func (w *yamlWriter) flow(v any, level int) {
	switch t := v.(type) {
	case []any:
		w.b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.flow(e, level+w.indent)
		}
		w.b.WriteByte(']')
	case map[string]any:
		w.b.WriteByte('{')
		for i, k := range w.keys(t) {
			if i > 0 {
				w.b.WriteString(", ")
			}
			w.scalar(k, level+w.indent, true)
			w.b.WriteString(": ")
			w.flow(t[k], level+w.indent)
		}
		w.b.WriteByte('}')
	default:
		w.scalar(v, level, true)
	}
}

// block writes a block collection whose first line continues the current line when col
// is already reached (after "- ").
func (w *yamlWriter) block(v any, col int) {
	first := true
	pad := func() {
		if !first {
			w.b.WriteString(strings.Repeat(" ", col))
		}
		first = false
	}
	switch t := v.(type) {
	case map[string]any:
		for _, k := range w.keys(t) {
			pad()
			w.scalar(k, col+w.indent, false)
			w.b.WriteString(":")
			e := t[k]
			switch {
			case w.isFlow(e):
				w.b.WriteByte(' ')
				w.flow(e, col+w.indent)
				w.b.WriteByte('\n')
			case isCollection(e):
				w.b.WriteByte('\n')
				inner := col + w.indent
				if _, seq := e.([]any); seq {
					inner = col // PyYAML does not indent a sequence inside a mapping
				}
				w.b.WriteString(strings.Repeat(" ", inner))
				w.block(e, inner)
			default:
				w.b.WriteByte(' ')
				w.scalar(e, col+w.indent, false)
				w.b.WriteByte('\n')
			}
		}
	case []any:
		for _, e := range t {
			pad()
			w.b.WriteString("- ")
			switch {
			case w.isFlow(e):
				w.flow(e, col+w.indent)
				w.b.WriteByte('\n')
			case isCollection(e):
				// the item's collection starts on the dash's line, at its own indent
				w.b.WriteString(strings.Repeat(" ", w.indent-2))
				w.block(e, col+w.indent)
			default:
				w.scalar(e, col+w.indent, false)
				w.b.WriteByte('\n')
			}
		}
	}
}

// yamlWidth is PyYAML's default best_width: plain and single-quoted scalars are folded
// at spaces past this column.
const yamlWidth = 80

// scalar writes a block-context scalar at the current column; continuation lines are
// indented to indent.
func (w *yamlWriter) scalar(v any, indent int, flow bool) {
	text, _ := yamlScalar(v, flow)
	s, isStr := v.(string)
	if !isStr || strings.HasPrefix(text, "\"") {
		w.b.WriteString(text)
		return
	}
	quoted := strings.HasPrefix(text, "'")
	if quoted {
		s = strings.ReplaceAll(s, "'", "''")
		w.b.WriteByte('\'')
	}
	col := w.column()
	breakLine := func() {
		w.b.WriteByte('\n')
		w.b.WriteString(strings.Repeat(" ", indent))
		col = indent
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' && col > yamlWidth && i > 0 && i+1 < len(s) && s[i-1] != ' ' && s[i+1] != ' ':
			breakLine()
		case c == '\n' && quoted:
			// a line break inside single quotes is written twice (one folds to a space)
			j := i
			for j < len(s) && s[j] == '\n' {
				j++
			}
			w.b.WriteString(strings.Repeat("\n", j-i+1))
			w.b.WriteString(strings.Repeat(" ", indent))
			col = indent
			i = j - 1
		default:
			w.b.WriteByte(c)
			col++
		}
	}
	if quoted {
		w.b.WriteByte('\'')
	}
}

// column is the current output column.
func (w *yamlWriter) column() int {
	s := w.b.String()
	return len(s) - strings.LastIndexByte(s, '\n') - 1
}

var (
	reYAMLBool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	reYAMLNull  = regexp.MustCompile(`^(?:~|null|Null|NULL)$`)
	reYAMLInt   = regexp.MustCompile(`^[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	reYAMLFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	reYAMLTime  = regexp.MustCompile(`^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?`)
)

// yamlScalar formats a scalar as PyYAML does; plain reports an unquoted string.
func yamlScalar(v any, flow bool) (string, bool) {
	switch t := v.(type) {
	case nil:
		return "null", false
	case bool:
		return strconv.FormatBool(t), false
	case int:
		return strconv.Itoa(t), false
	case float64:
		switch {
		case math.IsNaN(t):
			return ".nan", false
		case math.IsInf(t, 1):
			return ".inf", false
		case math.IsInf(t, -1):
			return "-.inf", false
		}
		s := strings.ToLower(pyfmt.FloatRepr(t))
		if !strings.Contains(s, ".") && strings.Contains(s, "e") {
			s = strings.Replace(s, "e", ".0e", 1)
		}
		return s, false
	case string:
		if yamlPlainOK(t, flow) {
			return t, true
		}
		if strings.ContainsAny(t, "\r\t") || strings.Contains(t, " \n") || !printable(t) {
			return strconv.Quote(t), false
		}
		return "'" + strings.ReplaceAll(t, "'", "''") + "'", false
	case datetimeValue, dateValue:
		return pyStr(t), false // a YAML timestamp, as PyYAML writes it
	}
	return yamlScalar(pyStr(v), flow)
}

func printable(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n') || r == 0x7f {
			return false
		}
	}
	return true
}

func yamlPlainOK(s string, flow bool) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	if reYAMLBool.MatchString(s) || reYAMLNull.MatchString(s) || reYAMLInt.MatchString(s) ||
		reYAMLFloat.MatchString(s) || reYAMLTime.MatchString(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "#,[]{}&*!|>'\"%@`") {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:") && (len(s) == 1 || s[1] == ' ') {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if flow && strings.ContainsAny(s, ",?[]{}") {
		return false
	}
	if strings.ContainsAny(s, "\n\r\t") || !printable(s) {
		return false
	}
	return true
}
