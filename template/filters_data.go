package template

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	registerFilter(filterFromYAMLAll, "from_yaml_all")
	registerFilter(filterB64Encode, "b64encode")
	registerFilter(filterB64Decode, "b64decode")
}

// to_json is Python's json.dumps: ", " and ": " separators, non-ASCII escaped, keys in
// the dict's order unless sort_keys=True; indent=N gives the indented form.
// jsonKeywords are the keyword arguments json.dumps hands to Ansible's JSON encoder; any
// other fails in its constructor.
var jsonKeywords = []string{"skipkeys", "ensure_ascii", "check_circular", "allow_nan", "sort_keys",
	"indent", "separators", "default", "cls", "vault_to_text", "preprocess_unsafe"}

func jsonKeywordsOK(c *call) error {
	for _, k := range sortedKeys(c.kwargs) {
		if indexOf(jsonKeywords, k) < 0 {
			return typeErrorf("JSONEncoder.__init__() got an unexpected keyword argument '%s'", k)
		}
	}
	return nil
}

func filterToJSON(c *call) (any, error) {
	if err := jsonKeywordsOK(c); err != nil {
		return nil, err
	}
	indent := -1
	if v, ok := c.kwargs["indent"].(int); ok && v >= 0 {
		indent = v
	}
	return dumpJSON(c.in, indent, truthy(c.kwargs["sort_keys"]))
}

// to_nice_json is json.dumps(indent=4, sort_keys=True, separators=(',', ': ')).
func filterToNiceJSON(c *call) (any, error) {
	if err := jsonKeywordsOK(c); err != nil {
		return nil, err
	}
	indent := 4
	if v, ok := c.arg(0, "indent", 4).(int); ok {
		indent = v
	}
	sortKeys := true
	if v, ok := c.kwargs["sort_keys"]; ok {
		sortKeys = truthy(v)
	}
	return dumpJSON(c.in, indent, sortKeys)
}

// tojson is Jinja2's htmlsafe_json_dumps: sorted keys, ", " separators, and <, >, & and '
// escaped so the text is safe inside HTML.
func filterToJSONJinja(c *call) (any, error) {
	indent := -1
	if v, ok := c.arg(0, "indent", nil).(int); ok && v >= 0 {
		indent = v
	}
	s, err := dumpJSON(c.in, indent, true)
	if err != nil {
		return nil, err
	}
	return htmlSafe.Replace(s), nil
}

var htmlSafe = strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`)

// dumpJSON is json.dumps(v, indent=indent, sort_keys=sortKeys) with the default
// ensure_ascii; indent < 0 is the single-line form. Keys not sorted come in the dict's order.
func dumpJSON(v any, indent int, sortKeys bool) (string, error) {
	d := pyfmt.Dumps{Indent: indent, SortKeys: sortKeys, EnsureASCII: true, Other: dumpable}
	return d.String(v)
}

// dumpable is the plain data a template value dumps as; hostvars and other Python
// objects are not serializable.
func dumpable(v any) (any, error) {
	if o, ok := v.(pyObject); ok {
		return objectJSON(o)
	}
	n := normalize(v)
	if _, same := n.(*Scope); same || fmt.Sprintf("%T", n) == fmt.Sprintf("%T", v) {
		return nil, fmt.Errorf("Object of type %s is not JSON serializable", typeName(v))
	}
	return n, nil
}

func filterFromJSON(c *call) (any, error) {
	s, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("the JSON object must be str, bytes or bytearray, not %s", typeName(c.in))
	}
	v, err := decodeJSONOrdered(s)
	if err != nil {
		return nil, pyException("json.decoder.JSONDecodeError", pyJSONError(s, err))
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
		return c.in, nil // Ansible returns anything but a string as it is
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(s), &n); err != nil {
		return nil, yamlException(err)
	}
	return yamlNodeValue(&n)
}

// yamlNodeValue decodes one YAML document node to template data, keeping key order.
func yamlNodeValue(n *yaml.Node) (any, error) {
	var v any
	if n.Kind != 0 {
		if err := n.Decode(&v); err != nil {
			return nil, fmt.Errorf("invalid YAML: %w", err)
		}
	}
	v = normalize(v) // map[any]any (non-string keys) becomes map[string]any first
	recordYAMLOrder(n, v)
	return v, nil
}

// from_yaml_all: the list of the documents of a YAML stream.
func filterFromYAMLAll(c *call) (any, error) {
	s, ok := c.in.(string)
	if !ok {
		return c.in, nil
	}
	dec := yaml.NewDecoder(strings.NewReader(s))
	out := []any{}
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, yamlException(err)
		}
		v, err := yamlNodeValue(&n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func filterB64Encode(c *call) (any, error) {
	return base64.StdEncoding.EncodeToString([]byte(pyStr(c.in))), nil
}

func filterB64Decode(c *call) (any, error) {
	out, err := pyB64Decode(pyStr(c.in))
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(out) {
		return string(bytes.ToValidUTF8(out, []byte("\uFFFD"))), nil
	}
	return string(out), nil
}
