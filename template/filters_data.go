package template

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/pyfmt"
)

func init() {
	registerStringFilter(filterToJSON, "to_json")
	registerStringFilter(filterToNiceJSON, "to_nice_json")
	registerFilter(filterFromJSON, "from_json")
	registerFilter(filterToJSONJinja, "tojson")
	registerStringFilter(filterToYAML, "to_yaml")
	registerStringFilter(filterToNiceYAML, "to_nice_yaml")
	registerFilter(filterFromYAML, "from_yaml")
	registerFilter(filterB64Encode, "b64encode")
	registerFilter(filterB64Decode, "b64decode")
}

// to_json is Python's json.dumps: ", " and ": " separators, non-ASCII escaped, keys in
// the dict's order unless sort_keys=True; indent=N gives the indented form.
func filterToJSON(c *call) (any, error) {
	indent := -1
	if v, ok := c.kwargs["indent"].(int); ok && v >= 0 {
		indent = v
	}
	var b strings.Builder
	if err := writeJSON(&b, c.in, indent, 0, truthy(c.kwargs["sort_keys"])); err != nil {
		return nil, err
	}
	return b.String(), nil
}

// to_nice_json is json.dumps(indent=4, sort_keys=True, separators=(',', ': ')).
func filterToNiceJSON(c *call) (any, error) {
	indent := 4
	if v, ok := c.arg(0, "indent", 4).(int); ok {
		indent = v
	}
	sortKeys := true
	if v, ok := c.kwargs["sort_keys"]; ok {
		sortKeys = truthy(v)
	}
	var b strings.Builder
	if err := writeJSON(&b, c.in, indent, 0, sortKeys); err != nil {
		return nil, err
	}
	return b.String(), nil
}

// tojson is Jinja2's htmlsafe_json_dumps: sorted keys, ", " separators, and <, >, & and '
// escaped so the text is safe inside HTML.
func filterToJSONJinja(c *call) (any, error) {
	indent := -1
	if v, ok := c.arg(0, "indent", nil).(int); ok && v >= 0 {
		indent = v
	}
	var b strings.Builder
	if err := writeJSON(&b, c.in, indent, 0, true); err != nil {
		return nil, err
	}
	return htmlSafe.Replace(b.String()), nil
}

var htmlSafe = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`)

// writeJSON writes v as Python's json module does; indent < 0 is the single-line form.
// Keys are sorted when sortKeys, else in the dict's order (see orderedKeys).
func writeJSON(b *strings.Builder, v any, indent, depth int, sortKeys bool) error {
	nl := func(d int) {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", indent*d))
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int:
		b.WriteString(strconv.Itoa(t))
	case float64:
		switch {
		case math.IsNaN(t):
			b.WriteString("NaN")
		case math.IsInf(t, 1):
			b.WriteString("Infinity")
		case math.IsInf(t, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(pyfmt.FloatRepr(t))
		}
	case string:
		writeJSONString(b, t)
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
				if indent < 0 {
					b.WriteByte(' ')
				}
			}
			if indent >= 0 {
				nl(depth + 1)
			}
			if err := writeJSON(b, e, indent, depth+1, sortKeys); err != nil {
				return err
			}
		}
		if indent >= 0 {
			nl(depth)
		}
		b.WriteByte(']')
	case map[string]any:
		if len(t) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteByte('{')
		keys := orderedKeys(t)
		if sortKeys {
			keys = sortedKeys(t)
		}
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
				if indent < 0 {
					b.WriteByte(' ')
				}
			}
			if indent >= 0 {
				nl(depth + 1)
			}
			writeJSONString(b, k)
			b.WriteString(": ")
			if err := writeJSON(b, t[k], indent, depth+1, sortKeys); err != nil {
				return err
			}
		}
		if indent >= 0 {
			nl(depth)
		}
		b.WriteByte('}')
	default:
		n := normalize(v)
		if _, same := n.(*Scope); same || fmt.Sprintf("%T", n) == fmt.Sprintf("%T", v) {
			return fmt.Errorf("Object of type %s is not JSON serializable", typeName(v))
		}
		return writeJSON(b, n, indent, depth, sortKeys)
	}
	return nil
}

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7e && r <= 0xffff):
			fmt.Fprintf(b, `\u%04x`, r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func filterFromJSON(c *call) (any, error) {
	s, ok := c.in.(string)
	if !ok {
		return nil, fmt.Errorf("from_json expects a string, got %s", typeName(c.in))
	}
	v, err := decodeJSONOrdered(s)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return v, nil
}

// fromJSONNumbers turns json.Number into int or float64 as Python's json does.
func fromJSONNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.Atoi(t.String()); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []any:
		for i := range t {
			t[i] = fromJSONNumbers(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = fromJSONNumbers(t[k])
		}
	}
	return v
}

func filterFromYAML(c *call) (any, error) {
	s, ok := c.in.(string)
	if !ok {
		return nil, fmt.Errorf("from_yaml expects a string, got %s", typeName(c.in))
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		return nil, fmt.Errorf("invalid YAML: %w", err)
	}
	var v any
	if n.Kind != 0 {
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("invalid YAML: %w", err)
		}
	}
	v = normalize(v) // map[any]any (non-string keys) becomes map[string]any first
	recordYAMLOrder(&n, v)
	return v, nil
}

func filterB64Encode(c *call) (any, error) {
	return base64.StdEncoding.EncodeToString([]byte(pyStr(c.in))), nil
}

func filterB64Decode(c *call) (any, error) {
	s := strings.TrimSpace(pyStr(c.in))
	out, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid base64: %w", err)
	}
	if !utf8.Valid(out) {
		return string(bytes.ToValidUTF8(out, []byte("\uFFFD"))), nil
	}
	return string(out), nil
}
