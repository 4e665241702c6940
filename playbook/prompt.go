package playbook

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/pyfmt"
)

// VarPrompt is one vars_prompt entry of a play.
type VarPrompt struct {
	Name    string
	Prompt  string // shown to the user; the name when unset
	Default string // Python's str() of the default: "None" when unset
	// HasDefault: an empty answer takes Default (else it stays empty).
	HasDefault bool
	Private    bool // no echo (the default)
	Confirm    bool // ask twice
}

var promptKeys = set("name", "prompt", "default", "private", "confirm")

// promptUnsupported are vars_prompt options gossible rejects by name.
var promptUnsupported = set("encrypt", "salt", "salt_size", "unsafe")

// varsPrompt reads vars_prompt: a list of mappings with a name each.
func (l *loader) varsPrompt(src *source, n *yaml.Node) ([]VarPrompt, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, src.errAt(n, "the field 'vars_prompt' should be a list of prompts, but is a %s", kindName(n))
	}
	var out []VarPrompt
	for _, c := range n.Content {
		c = deref(c)
		if c.Kind != yaml.MappingNode {
			return nil, src.errAt(c, "each vars_prompt entry should be a dictionary, but is a %s", kindName(c))
		}
		ps, err := l.pairs(src, c)
		if err != nil {
			return nil, err
		}
		vp := VarPrompt{Default: "None", Private: true}
		hasName := false
		for _, p := range ps {
			v := deref(p.val)
			switch {
			case promptUnsupported[p.key]:
				return nil, src.errAt(p.keyNode, "gossible does not support the vars_prompt option '%s' yet", p.key)
			case !promptKeys[p.key]:
				e := src.errAt(p.keyNode, "'%s' is not a valid vars_prompt option", p.key)
				e.Hint = didYouMean(closest(p.key, keys(promptKeys, promptUnsupported)))
				return nil, e
			}
			var b *bool
			switch p.key {
			case "name":
				vp.Name, err = text(src, v, p.key)
				hasName = true
			case "prompt":
				vp.Prompt, err = text(src, v, p.key)
			case "default":
				vp.Default, err = promptDefault(src, v)
				vp.HasDefault = !isNull(v)
			case "private":
				if b, err = boolean(src, v, p.key); b != nil {
					vp.Private = *b
				}
			case "confirm":
				if b, err = boolean(src, v, p.key); b != nil {
					vp.Confirm = *b
				}
			}
			if err != nil {
				return nil, err
			}
		}
		if !hasName || vp.Name == "" {
			return nil, src.errAt(c, "Invalid vars_prompt data structure, missing 'name' key")
		}
		if vp.Prompt == "" {
			vp.Prompt = vp.Name
		}
		out = append(out, vp)
	}
	return out, nil
}

// promptDefault is Python's str() of a scalar default, as the value
// Ansible assigns is always text.
func promptDefault(src *source, n *yaml.Node) (string, error) {
	if isNull(n) {
		return "None", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", src.errAt(n, "the vars_prompt default should be a string or number, but is a %s", kindName(n))
	}
	switch n.Tag {
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return "", src.errAt(n, "invalid boolean %q", n.Value)
		}
		if b {
			return "True", nil
		}
		return "False", nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return strconv.FormatInt(i, 10), nil
		}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			return pyfmt.Float(f), nil
		}
	}
	return fmt.Sprint(n.Value), nil
}
