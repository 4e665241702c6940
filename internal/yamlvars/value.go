package yamlvars

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/internal/pyliteral"
	"github.com/gossible/gossible/vault"
)

// Options tune decoding.
type Options struct {
	// Secrets decrypt whole-file vault envelopes (none makes one an
	// error) and are kept by !vault values for when they are used.
	Secrets []vault.Secret
	// JSON types scalars as JSON (set from Doc.JSON for JSON text).
	JSON bool
	// Warn receives Ansible's duplicate-key warning; nil drops it.
	Warn func(msg string)
	// RejectUnsafeTemplates refuses !unsafe strings holding Jinja
	// markers: gossible would template them, Ansible would not.
	RejectUnsafeTemplates bool
}

// maxDepth bounds nesting (alias loops).
const maxDepth = 1000

// Pair is one key of a mapping after merge keys are applied.
type Pair struct {
	Key     string
	KeyNode *yaml.Node
	Val     *yaml.Node
}

// Value converts n to plain Go data with Ansible's typing (see the
// package comment). name is the file, for errors and warnings.
func Value(n *yaml.Node, name string, opts Options) (any, error) {
	d := &decoder{name: name, opts: opts}
	v, err := d.value(n, 0)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.File == "" {
			e.File = name
		}
	}
	return v, err
}

// Pairs lists mapping n's keys in PyYAML's order: merged (<<) keys first
// (earlier merge sources win over later ones), then the explicit keys. A
// repeated key keeps its first place and takes the last value, like a
// Python dict, with Ansible's warning through opts.Warn. Keys are typed
// (yes → "true") unless opts.JSON.
func Pairs(n *yaml.Node, name string, opts Options) ([]Pair, error) {
	d := &decoder{name: name, opts: opts}
	ps, err := d.pairs(deref(n), 0)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.File == "" {
			e.File = name
		}
	}
	return ps, err
}

type decoder struct {
	name string
	opts Options
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxDepth; i++ {
		n = n.Alias
	}
	return n
}

func errAt(n *yaml.Node, hint, format string, args ...any) *Error {
	return &Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...), Hint: hint}
}

func (d *decoder) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errAt(n, "", "data nested too deeply (recursive YAML alias?)")
	}
	n = deref(n)
	if n == nil {
		return nil, nil
	}
	if vault.IsVaultNode(n) {
		return d.vaulted(n)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return d.value(n.Content[0], depth+1)
	case yaml.MappingNode:
		ps, err := d.pairs(n, depth)
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(ps))
		keys := make([]string, 0, len(ps))
		for _, p := range ps {
			v, err := d.value(p.Val, depth+1)
			if err != nil {
				return nil, err
			}
			m[p.Key] = v
			keys = append(keys, p.Key)
		}
		keyorder.Record(m, keys)
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		return d.scalar(n)
	}
	return nil, errAt(n, "", "unexpected YAML node")
}

func (d *decoder) scalar(n *yaml.Node) (any, error) {
	switch {
	case vault.IsVaultNode(n):
		return d.vaulted(n)
	case d.opts.JSON:
		return jsonScalar(n), nil
	case IsUnsafe(n) && d.opts.RejectUnsafeTemplates && hasJinja(n.Value):
		return nil, errAt(n, "gossible would template it; remove the markers or the tag",
			"gossible does not support the YAML tag '%s' on a value holding a template yet", n.Tag)
	}
	return Scalar(n)
}

func hasJinja(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%") || strings.Contains(s, "{#")
}

// vaulted keeps a !vault value encrypted (see vault.Value): Ansible opens
// it when it is used, so a missing or wrong password is not a load error.
// Only the shape is checked here, as Ansible's constructor does.
func (d *decoder) vaulted(n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, errAt(n, "", "%s must tag a string (the ansible-vault encrypt_string output), not a mapping or list", vault.TagVault)
	}
	return vault.NewValue(n.Value, d.opts.Secrets), nil
}

// jsonScalar types a scalar read from JSON text: quoted is a string,
// numbers as Python's json (int, else float).
func jsonScalar(n *yaml.Node) any {
	if n.Style != 0 {
		return n.Value
	}
	switch n.Value {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	num := json.Number(n.Value)
	if i, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		return int(i)
	}
	if f, err := strconv.ParseFloat(string(num), 64); err == nil {
		return f
	}
	return n.Value
}

func (d *decoder) key(k *yaml.Node) (string, error) {
	if k.Kind != yaml.ScalarNode {
		return "", errAt(k, "write the key as a plain value", "a mapping key must be a plain value, got a %s", kindName(k))
	}
	if d.opts.JSON || vault.IsVaultNode(k) {
		return k.Value, nil
	}
	v, err := Scalar(k)
	if err != nil {
		return "", err
	}
	s, _ := pyliteral.JSONKey(v)
	return s, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "dict"
	case yaml.SequenceNode:
		return "list"
	}
	return "scalar"
}

func (d *decoder) pairs(n *yaml.Node, depth int) ([]Pair, error) {
	if depth > maxDepth {
		return nil, errAt(n, "", "data nested too deeply (recursive YAML alias?)")
	}
	var flat, explicit []Pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Style == 0) && !d.opts.JSON {
			merged, err := d.mergePairs(v, depth)
			if err != nil {
				return nil, err
			}
			flat = append(flat, merged...)
			continue
		}
		key, err := d.key(k)
		if err != nil {
			return nil, err
		}
		explicit = append(explicit, Pair{Key: key, KeyNode: k, Val: v})
	}
	flat = append(flat, explicit...)
	out := make([]Pair, 0, len(flat))
	index := make(map[string]int, len(flat))
	for _, p := range flat {
		if i, ok := index[p.Key]; ok {
			if d.opts.Warn != nil {
				d.opts.Warn(fmt.Sprintf("While constructing a mapping from %s, line %d, column %d, found a duplicate dict key (%s). Using last defined value only.",
					d.name, n.Line, n.Column, p.Key))
			}
			out[i].Val, out[i].KeyNode = p.Val, p.KeyNode
			continue
		}
		index[p.Key] = len(out)
		out = append(out, p)
	}
	return out, nil
}

// mergePairs flattens a merge key's value: one mapping, or a list of them
// where earlier ones take precedence (so they come last).
func (d *decoder) mergePairs(v *yaml.Node, depth int) ([]Pair, error) {
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
	if len(maps) == 0 {
		return nil, errAt(v, "", "a merge key (<<) must refer to a mapping or a list of mappings")
	}
	var out []Pair
	for _, m := range maps {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil, errAt(v, "", "a merge key (<<) must refer to a mapping or a list of mappings")
		}
		ps, err := d.pairs(m, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}
