package playbook

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/internal/yamlvars"
)

// pair is one key of a YAML mapping with the nodes it came from.
type pair struct {
	key     string
	keyNode *yaml.Node
	val     *yaml.Node
}

// deref follows aliases.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// kindName words a node's type the way Ansible's errors name Python types.
func kindName(n *yaml.Node) string {
	n = deref(n)
	switch {
	case n == nil || isNull(n):
		return "<class 'NoneType'>"
	case n.Kind == yaml.MappingNode:
		return "<class 'dict'>"
	case n.Kind == yaml.SequenceNode:
		return "<class 'list'>"
	case n.Tag == "!!int":
		return "<class 'int'>"
	case n.Tag == "!!float":
		return "<class 'float'>"
	case n.Tag == "!!bool":
		return "<class 'bool'>"
	}
	return "<class 'str'>"
}

// ansibleClass names a node's type as Ansible's YAML loader classes, for
// the messages that print them.
func ansibleClass(n *yaml.Node) string {
	n = deref(n)
	switch {
	case n.Kind == yaml.MappingNode:
		return "<class 'ansible.parsing.yaml.objects.AnsibleMapping'>"
	case n.Kind == yaml.SequenceNode:
		return "<class 'ansible.parsing.yaml.objects.AnsibleSequence'>"
	case n.Kind == yaml.ScalarNode && (n.Tag == "!!str" || n.Tag == "!!timestamp"):
		return "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>"
	}
	return kindName(n)
}

// pairs lists a mapping's keys in order, applying merge keys (<<) as
// PyYAML does: the merged mappings' keys come first (earlier mappings win
// over later ones), then the explicit keys. Every repeated key is recorded
// as Ansible's duplicate-key warning; the last value wins, at the first
// key's place, like a Python dict.
func (l *loader) pairs(src *source, n *yaml.Node) ([]pair, error) {
	n = deref(n)
	var flat, explicit []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merged, err := l.mergePairs(src, v)
			if err != nil {
				return nil, err
			}
			flat = append(flat, merged...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return nil, src.errAt(k, "a mapping key must be a plain value, got a %s", kindName(k))
		}
		explicit = append(explicit, pair{key: k.Value, keyNode: k, val: v})
	}
	flat = append(flat, explicit...)
	var out []pair
	index := map[string]int{}
	for _, p := range flat {
		if i, ok := index[p.key]; ok {
			l.warn("While constructing a mapping from %s, line %d, column %d, found a duplicate dict key (%s). Using last defined value only.",
				src.path, n.Line, n.Column, p.key)
			out[i].val, out[i].keyNode = p.val, p.keyNode
			continue
		}
		index[p.key] = len(out)
		out = append(out, p)
	}
	return out, nil
}

// mergePairs flattens the value of a merge key: one mapping, or a list of
// them where earlier ones take precedence (so they come last).
func (l *loader) mergePairs(src *source, v *yaml.Node) ([]pair, error) {
	v = deref(v)
	var maps []*yaml.Node
	switch v.Kind {
	case yaml.MappingNode:
		maps = []*yaml.Node{v}
	case yaml.SequenceNode:
		for i := len(v.Content) - 1; i >= 0; i-- {
			maps = append(maps, deref(v.Content[i]))
		}
	}
	var out []pair
	for _, m := range maps {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil, src.errAt(v, "a merge key (<<) must refer to a mapping or a list of mappings")
		}
		ps, err := l.pairs(src, m)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	if len(maps) == 0 {
		return nil, src.errAt(v, "a merge key (<<) must refer to a mapping or a list of mappings")
	}
	return out, nil
}

// value converts a node to plain Go data (map[string]any, []any, string,
// int, float64, bool, nil) with Ansible's YAML typing (yamlvars):
// YAML 1.1 scalars, merge keys, !vault values decrypted with the
// loader's secrets, mapping key order recorded.
func (l *loader) value(src *source, n *yaml.Node) (any, error) {
	v, err := yamlvars.Value(n, src.path, l.yamlOptions())
	if err != nil {
		return nil, src.fromYAMLVars(err)
	}
	return v, nil
}

func (l *loader) yamlOptions() yamlvars.Options {
	return yamlvars.Options{
		Secrets:               l.opts.VaultSecrets,
		Warn:                  func(msg string) { l.warn("%s", msg) },
		RejectUnsafeTemplates: true,
	}
}

// fromYAMLVars places a yamlvars error in src, in Ansible's layout.
func (s *source) fromYAMLVars(err error) error {
	var ye *yamlvars.Error
	if !errors.As(err, &ye) {
		return err
	}
	e := &Error{Msg: ye.Msg, Hint: ye.Hint}
	if ye.Line > 0 {
		s.place(e, ye.Line, ye.Col)
	}
	return e
}

// yaml11Bool is PyYAML's (YAML 1.1) set of plain scalars that load as
// booleans, which yaml.v3 (YAML 1.2) tags !!str.
var yaml11Bool = map[string]bool{
	"yes": true, "Yes": true, "YES": true, "on": true, "On": true, "ON": true,
	"no": false, "No": false, "NO": false, "off": false, "Off": false, "OFF": false,
}

// scalar types a scalar as Ansible's YAML loader does (yamlvars.Scalar).
func scalar(src *source, n *yaml.Node) (any, error) {
	v, err := yamlvars.Scalar(n)
	if err != nil {
		return nil, src.fromYAMLVars(err)
	}
	return v, nil
}

// text is a scalar's text for keywords Ansible reads as strings (ints and
// bools become their text). Null is "".
func text(src *source, n *yaml.Node, field string) (string, error) {
	n = deref(n)
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", src.errAt(n, "the field '%s' should be a string, but is a %s", field, kindName(n))
	}
	if _, err := scalar(src, n); err != nil {
		return "", err
	}
	return n.Value, nil
}

// boolTrue and boolFalse are the spellings Ansible's strict boolean()
// accepts (compared case-insensitively).
var boolTrue = map[string]bool{"y": true, "yes": true, "on": true, "1": true, "true": true, "t": true, "1.0": true}
var boolFalse = map[string]bool{"n": true, "no": true, "off": true, "0": true, "false": true, "f": true, "0.0": true}

// boolean reads a keyword Ansible declares boolean. Templates are not
// supported here because the typed field cannot hold them.
func boolean(src *source, n *yaml.Node, field string) (*bool, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.ScalarNode {
		return nil, src.errAt(n, "the field '%s' should be a boolean, but is a %s", field, kindName(n))
	}
	v := strings.ToLower(strings.TrimSpace(n.Value))
	t, f := true, false
	switch {
	case boolTrue[v]:
		return &t, nil
	case boolFalse[v]:
		return &f, nil
	case strings.Contains(v, "{{") || strings.Contains(v, "{%"):
		return nil, src.errAt(n, "gossible does not support a templated value for the keyword '%s' yet", field)
	}
	return nil, src.errAt(n, "The value '%s' is not a valid boolean for the field '%s'. Valid booleans include: 'yes', 'no', 'true', 'false', 'on', 'off', 'y', 'n', 't', 'f', '1', '0'", n.Value, field)
}

// boolOrTemplate reads keywords such as no_log that Ansible templates
// before use: a bool, or the template string kept raw.
func boolOrTemplate(src *source, n *yaml.Node, field string) (any, error) {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && (strings.Contains(n.Value, "{{") || strings.Contains(n.Value, "{%")) {
		return n.Value, nil
	}
	b, err := boolean(src, n, field)
	if err != nil || b == nil {
		return nil, err
	}
	return *b, nil
}

// stringList reads a keyword Ansible declares a list of strings: a list,
// or one scalar that becomes a one-element list.
func (l *loader) stringList(src *source, n *yaml.Node, field string) ([]string, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode {
		s, err := text(src, n, field)
		return []string{s}, err
	}
	if n.Kind != yaml.SequenceNode {
		return nil, src.errAt(n, "the field '%s' should be a list of strings, but is a %s", field, kindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c = deref(c)
		if c.Kind != yaml.ScalarNode || isNull(c) {
			return nil, src.errAt(c, "the field '%s' should be a list of strings, but an element is a %s", field, kindName(c))
		}
		out = append(out, c.Value)
	}
	return out, nil
}

// tags reads tags: a list, or a string split on commas.
func (l *loader) tags(src *source, n *yaml.Node) ([]string, error) {
	n = deref(n)
	switch {
	case isNull(n):
		return nil, nil
	case n.Kind == yaml.ScalarNode:
		var out []string
		for _, t := range strings.Split(n.Value, ",") {
			out = append(out, strings.TrimSpace(t))
		}
		return out, nil
	case n.Kind == yaml.SequenceNode:
		return l.stringList(src, n, "tags")
	}
	return nil, src.errAt(n, "tags must be specified as a list")
}

// conditions reads when/changed_when/failed_when: one condition or a list,
// each a string or a bool (ints are kept as written text).
func (l *loader) conditions(src *source, n *yaml.Node, field string) ([]any, error) {
	items := oneOrList(n)
	out := make([]any, 0, len(items))
	for _, c := range items {
		c = deref(c)
		if c.Kind != yaml.ScalarNode {
			return nil, src.errAt(c, "the field '%s' should be a condition (a string or a boolean), but is a %s", field, kindName(c))
		}
		v, err := scalar(src, c)
		if err != nil {
			return nil, err
		}
		switch x := v.(type) {
		case bool, string:
			out = append(out, x)
		case nil:
			// an empty list item adds no condition, as in Ansible
		default:
			out = append(out, c.Value)
		}
	}
	return out, nil
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// pyKeywords cannot be variable names (Python's isidentifier + keyword test).
var pyKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

func validVarName(s string) bool { return identRe.MatchString(s) && !pyKeywords[s] }

// vars reads a vars: keyword (a mapping, or a list of mappings merged in
// order) for an object Ansible names what ("Play", "Task", "Block").
func (l *loader) vars(src *source, n *yaml.Node, what string) (map[string]any, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	var maps []*yaml.Node
	switch n.Kind {
	case yaml.MappingNode:
		maps = []*yaml.Node{n}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			c = deref(c)
			if c.Kind != yaml.MappingNode {
				return nil, src.errAt(n, "Vars in a %s must be specified as a dictionary, or a list of dictionaries", what)
			}
			maps = append(maps, c)
		}
	default:
		return nil, src.errAt(n, "Vars in a %s must be specified as a dictionary, or a list of dictionaries", what)
	}
	out := map[string]any{}
	var order []string
	for _, m := range maps {
		ps, err := l.pairs(src, m)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !validVarName(p.key) {
				return nil, src.errAt(p.keyNode, "Invalid variable name in vars specified for %s: '%s' is not a valid variable name", what, p.key)
			}
			v, err := l.value(src, p.val)
			if err != nil {
				return nil, err
			}
			if _, seen := out[p.key]; !seen {
				order = append(order, p.key)
			}
			out[p.key] = v
		}
	}
	keyorder.Record(out, order)
	return out, nil
}

// mapping reads a node that must be a mapping into plain data.
func (l *loader) mapping(src *source, n *yaml.Node, field string) (map[string]any, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, src.errAt(n, "the field '%s' should be a dictionary, but is a %s", field, kindName(n))
	}
	v, err := l.value(src, n)
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

// warn records a warning once, as Ansible's display prints each once.
func (l *loader) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	for _, have := range l.warnings {
		if have == w {
			return
		}
	}
	l.warnings = append(l.warnings, w)
}

// oneOrList is a keyword's value as a list of items: none for null, a
// sequence's elements, or the value itself (Ansible takes one item where it
// takes a list).
func oneOrList(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	switch {
	case isNull(n):
		return nil
	case n.Kind == yaml.SequenceNode:
		return n.Content
	}
	return []*yaml.Node{n}
}
