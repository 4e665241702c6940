package inventory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Ansible reads YAML with PyYAML, i.e. YAML 1.1 typing: yes/no/on/off are
// booleans, 0755 is octal, 1.0e5 (no sign in the exponent) is a string.
// yaml.v3 follows YAML 1.2, so plain scalars are re-typed here.
var (
	reY11Bool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	reY11Int   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	reY11Float = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	reY11Null  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
)

// yamlDoc parses a single-document YAML (or JSON) text into its root node;
// nil for an empty document. Errors carry the line (and column when known).
func yamlDoc(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		le := yamlErr(err)
		if n := yamlErrorLine(data); n > 0 {
			le.line = n
		}
		return nil, le
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &lineError{line: extra.Line, col: extra.Column, msg: "expected a single document in the stream, found another", hint: "remove the extra --- document separator"}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlErr(err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return nil, nil
}

// yamlErrorLine finds the line a syntax error is on. yaml.v3 reports the
// line where the enclosing block starts ("while parsing a block mapping"),
// so look for the last line whose prefix of the document still parses: the
// next line is the culprit.
func yamlErrorLine(data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 2000 {
		return 0
	}
	for k := len(lines) - 1; k >= 0; k-- {
		var n yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(bytes.Join(lines[:k], nil)))
		if err := dec.Decode(&n); err == nil || errors.Is(err, io.EOF) {
			return k + 1
		}
	}
	return 0
}

var reYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlErr(err error) *lineError {
	msg := err.Error()
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &lineError{line: n, msg: "yaml syntax error: " + m[2], hint: "check indentation and quoting; values starting with { or [ or containing ': ' need quotes"}
	}
	return &lineError{msg: "yaml syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
}

// yamlValue converts a node to Go values with YAML 1.1 typing: string,
// int, float64, bool, nil, []any, map[string]any.
func yamlValue(n *yaml.Node) (any, error) {
	return yamlValueDepth(n, 0)
}

// isJSONText tells whether data is a JSON document: Ansible's loader tries
// json.loads first, so its numbers follow JSON, not YAML 1.1.
func isJSONText(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	_, err := dec.Token()
	return errors.Is(err, io.EOF)
}

// jsonScalars switches plain-scalar typing to JSON rules (set while
// converting a document that isJSONText).
type scalarMode int

const (
	modeYAML11 scalarMode = iota
	modeJSON
)

func yamlValueMode(n *yaml.Node, mode scalarMode) (any, error) {
	if mode == modeJSON {
		return jsonNodeValue(n)
	}
	return yamlValueDepth(n, 0)
}

// jsonNodeValue converts a node parsed from JSON text.
func jsonNodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style != 0 {
			return n.Value, nil
		}
		switch n.Value {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return jsonTypes(json.Number(n.Value)), nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := jsonNodeValue(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := jsonNodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	}
	return yamlValueDepth(n, 0)
}

func yamlValueDepth(n *yaml.Node, depth int) (any, error) {
	if depth > 10000 {
		return nil, &lineError{line: n.Line, col: n.Column, msg: "yaml nesting too deep (alias loop?)"}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlValueDepth(n.Content[0], depth+1)
	case yaml.AliasNode:
		return yamlValueDepth(n.Alias, depth+1)
	case yaml.ScalarNode:
		return yamlScalar(n)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := yamlValueDepth(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		if err := yamlMerge(out, n, depth); err != nil {
			return nil, err
		}
		return out, nil
	}
	return nil, &lineError{line: n.Line, col: n.Column, msg: "unsupported yaml node"}
}

// yamlMerge fills out from mapping n, honouring << merge keys (explicit
// keys win over merged ones, later explicit keys over earlier).
func yamlMerge(out map[string]any, n *yaml.Node, depth int) error {
	explicit := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
			srcs := []*yaml.Node{v}
			if r := resolveAlias(v); r.Kind == yaml.SequenceNode {
				srcs = r.Content
			}
			for _, s := range srcs {
				s = resolveAlias(s)
				if s.Kind != yaml.MappingNode {
					return &lineError{line: s.Line, col: s.Column, msg: "expected a mapping for merging"}
				}
				tmp := map[string]any{}
				if err := yamlMerge(tmp, s, depth+1); err != nil {
					return err
				}
				for mk, mv := range tmp {
					if !explicit[mk] {
						if _, seen := out[mk]; !seen {
							out[mk] = mv
						}
					}
				}
			}
			continue
		}
		kv, err := yamlValueDepth(k, depth+1)
		if err != nil {
			return err
		}
		key, ok := jsonKey(kv)
		if !ok {
			return &lineError{line: k.Line, col: k.Column, msg: "mapping key must be a scalar"}
		}
		val, err := yamlValueDepth(v, depth+1)
		if err != nil {
			return err
		}
		out[key] = val
		explicit[key] = true
	}
	return nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// yamlScalar types one scalar the PyYAML way.
func yamlScalar(n *yaml.Node) (any, error) {
	v := n.Value
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!str", "!unsafe", "tag:yaml.org,2002:str":
			return v, nil
		case "!!int":
			if i, ok := y11Int(strings.TrimSpace(v)); ok && v != "" {
				return i, nil
			}
			return nil, &lineError{line: n.Line, col: n.Column, msg: fmt.Sprintf("invalid !!int value %q", v)}
		case "!!float":
			if _, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil || reY11Float.MatchString(v) {
				return y11Float(v), nil
			}
			return nil, &lineError{line: n.Line, col: n.Column, msg: fmt.Sprintf("invalid !!float value %q", v)}
		case "!!bool", "!!null":
			// resolve as plain below
		case "!vault":
			return nil, &lineError{line: n.Line, col: n.Column, msg: "vault-encrypted values are not supported", hint: "decrypt the value (ansible-vault decrypt_string) or provide it another way"}
		default:
			return nil, &lineError{line: n.Line, col: n.Column, msg: fmt.Sprintf("unsupported yaml tag %s", n.Tag)}
		}
	} else if n.Style != 0 {
		return v, nil // quoted, literal or folded: always a string
	}
	switch {
	case reY11Null.MatchString(v):
		return nil, nil
	case reY11Bool.MatchString(v):
		switch v[0] {
		case 'y', 'Y', 't', 'T':
			return true, nil
		case 'o', 'O':
			return v == "on" || v == "On" || v == "ON", nil
		}
		return false, nil
	case reY11Int.MatchString(v):
		if i, ok := y11Int(v); ok {
			return i, nil
		}
		return v, nil
	case reY11Float.MatchString(v):
		return y11Float(v), nil
	}
	return v, nil
}

func y11Int(v string) (int, bool) {
	s := strings.ReplaceAll(v, "_", "")
	sign := 1
	if s[0] == '-' || s[0] == '+' {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	var n int64
	var err error
	switch {
	case s == "0":
		return 0, true
	case strings.HasPrefix(s, "0b"):
		n, err = strconv.ParseInt(s[2:], 2, 64)
	case strings.HasPrefix(s, "0x"):
		n, err = strconv.ParseInt(s[2:], 16, 64)
	case s[0] == '0':
		n, err = strconv.ParseInt(s[1:], 8, 64)
	case strings.Contains(s, ":"):
		for _, d := range strings.Split(s, ":") {
			x, e := strconv.ParseInt(d, 10, 64)
			if e != nil {
				return 0, false
			}
			n = n*60 + x
		}
	default:
		n, err = strconv.ParseInt(s, 10, 64)
	}
	if err != nil {
		return 0, false
	}
	return sign * int(n), true
}

func y11Float(v string) float64 {
	s := strings.ToLower(strings.ReplaceAll(v, "_", ""))
	sign := 1.0
	if s[0] == '-' || s[0] == '+' {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	switch {
	case s == ".inf":
		return sign * math.Inf(1)
	case s == ".nan":
		return math.NaN()
	case strings.Contains(s, ":"):
		f := 0.0
		for _, d := range strings.Split(s, ":") {
			x, _ := strconv.ParseFloat(d, 64)
			f = f*60 + x
		}
		return sign * f
	}
	f, _ := strconv.ParseFloat(s, 64)
	return sign * f
}

// loadVarsData parses a vars file the way Ansible's DataLoader does: JSON
// first, then YAML. nil for an empty file.
func loadVarsData(data []byte) (any, error) {
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("$ANSIBLE_VAULT")) {
		return nil, &lineError{line: 1, msg: "vault-encrypted files are not supported", hint: "decrypt it with ansible-vault decrypt"}
	}
	mode := modeYAML11
	if isJSONText(data) {
		mode = modeJSON
	}
	root, err := yamlDoc(data)
	if err != nil || root == nil {
		return nil, err
	}
	return yamlValueMode(root, mode)
}

// jsonTypes turns json.Number into int or float64 as Python's json does.
func jsonTypes(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return int(i)
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	}
	return v
}
