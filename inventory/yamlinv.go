package inventory

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/pyliteral"
)

// yamlInv parses one YAML inventory file, as the yaml inventory plugin does.
type yamlInv struct {
	inv  *Inventory
	path string
	mode scalarMode
}

type pair struct{ k, v *yaml.Node }

func parseYAMLInventory(inv *Inventory, path string, data []byte) error {
	p := &yamlInv{inv: inv, path: path}
	if isJSONText(data) {
		p.mode = modeJSON
	}
	root, err := yamlDoc(data)
	if err != nil {
		if le, ok := err.(*lineError); ok {
			le.notThisFmt = true
		}
		return err
	}
	if root == nil {
		return &lineError{msg: "parsed empty YAML file", notThisFmt: true}
	}
	root = resolveAlias(root)
	if root.Kind != yaml.MappingNode {
		return &lineError{line: root.Line, col: root.Column, notThisFmt: true,
			msg: fmt.Sprintf("YAML inventory has invalid structure, it should be a dictionary, got: %s", kindName(root))}
	}
	pairs := mapPairs(root)
	for _, kv := range pairs {
		if kv.k.Value == "plugin" {
			return &lineError{line: kv.k.Line, col: kv.k.Column, msg: "plugin configuration YAML file, not YAML inventory",
				hint: "gossible reads only ini and yaml inventories; inventory plugins are not supported"}
		}
	}
	for _, kv := range pairs {
		if _, err := p.group(kv.k, kv.v); err != nil {
			return err
		}
	}
	return nil
}

// mapPairs lists a mapping's pairs as PyYAML builds a dict: merged (<<)
// pairs first, a repeated key keeps its first place and its last value.
func mapPairs(n *yaml.Node) []pair {
	n = resolveAlias(n)
	var raw []pair
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
			srcs := []*yaml.Node{v}
			if r := resolveAlias(v); r.Kind == yaml.SequenceNode {
				srcs = r.Content
			}
			for _, s := range srcs {
				if s = resolveAlias(s); s.Kind == yaml.MappingNode {
					merged = append(merged, mapPairs(s)...)
				}
			}
			continue
		}
		raw = append(raw, pair{k, v})
	}
	var out []pair
	idx := map[string]int{}
	for _, kv := range append(merged, raw...) {
		key := kv.k.Value
		if i, ok := idx[key]; ok {
			out[i].v = kv.v
			continue
		}
		idx[key] = len(out)
		out = append(out, kv)
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch resolveAlias(n).Kind {
	case yaml.MappingNode:
		return "dict"
	case yaml.SequenceNode:
		return "list"
	}
	v, _ := yamlScalar(resolveAlias(n))
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	}
	return "str"
}

func isNull(n *yaml.Node) bool {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode {
		return false
	}
	v, err := yamlScalar(n)
	return err == nil && v == nil
}

// scalarString returns a key's value when it is a string (YAML 1.1 typing).
func (p *yamlInv) scalarString(n *yaml.Node) (string, bool) {
	n = resolveAlias(n)
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	if p.mode == modeJSON {
		return n.Value, n.Style != 0
	}
	v, err := yamlScalar(n)
	s, ok := v.(string)
	return s, ok && err == nil
}

// varName is a variable's name as it ends up in Ansible's vars: a YAML 1.1
// key like yes or 1 is a bool or int there, shown as "true" or "1".
func (p *yamlInv) varName(k *yaml.Node) string {
	k = resolveAlias(k)
	if p.mode == modeJSON || k.Kind != yaml.ScalarNode {
		return k.Value
	}
	v, err := yamlScalar(k)
	if err != nil {
		return k.Value
	}
	if s, ok := pyliteral.JSONKey(v); ok {
		return s
	}
	return k.Value
}

func (p *yamlInv) errAt(n *yaml.Node, hint, format string, args ...any) *lineError {
	return &lineError{line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...), hint: hint}
}

// group parses one group entry and returns its name.
func (p *yamlInv) group(kn, vn *yaml.Node) (string, error) {
	name, ok := p.scalarString(kn)
	if !ok || name == "" {
		return "", p.errAt(kn, "quote the group name", "unable to add group %s: invalid group name, expected a string", kn.Value)
	}
	vn = resolveAlias(vn)
	if vn.Kind != yaml.MappingNode && !isNull(vn) {
		p.inv.warn(fmt.Sprintf("Skipping '%s' as this is not a valid group definition", name))
		return name, nil
	}
	g := p.inv.addGroup(name)
	if vn.Kind != yaml.MappingNode {
		return name, nil
	}
	for _, kv := range mapPairs(vn) {
		key := kv.k.Value
		sec := resolveAlias(kv.v)
		if key == "vars" || key == "children" || key == "hosts" {
			if s, ok := p.scalarString(sec); ok && sec.Kind == yaml.ScalarNode {
				// a bare string is allowed: "hosts: web1"
				sec = &yaml.Node{Kind: yaml.MappingNode, Line: sec.Line, Column: sec.Column, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Value: s, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Line: sec.Line, Column: sec.Column},
					{Kind: yaml.ScalarNode, Value: "null", Tag: "!!null", Line: sec.Line, Column: sec.Column},
				}}
			} else if sec.Kind != yaml.MappingNode && !isNull(sec) {
				return "", p.errAt(sec, fmt.Sprintf("write %s as a mapping, one 'name:' per line, not a list", key),
					"invalid %q entry for %q group, requires a dictionary, found %q instead", key, name, kindName(sec))
			}
		}
		if sec.Kind != yaml.MappingNode {
			if !isNull(sec) {
				p.inv.warn(fmt.Sprintf("Skipping key (%s) in group (%s) as it is not a mapping, it is a %s", key, name, kindName(sec)))
			}
			continue
		}
		switch key {
		case "vars":
			for _, v := range mapPairs(sec) {
				val, err := yamlValueMode(v.v, p.mode, p.inv.secrets)
				if err != nil {
					return "", err
				}
				if err := g.setVar(p.varName(v.k), val); err != nil {
					return "", p.errAt(v.k, "", "%v", err)
				}
			}
		case "children":
			for _, c := range mapPairs(sec) {
				sub, err := p.group(c.k, c.v)
				if err != nil {
					return "", err
				}
				if err := p.inv.addChild(name, sub); err != nil {
					return "", p.errAt(c.k, "", "%v", err)
				}
			}
		case "hosts":
			for _, h := range mapPairs(sec) {
				if err := p.host(g, h.k, h.v); err != nil {
					return "", err
				}
			}
		default:
			p.inv.warn(fmt.Sprintf(`Skipping unexpected key (%s) in group (%s), only "vars", "children" and "hosts" are valid`, key, name))
		}
	}
	return name, nil
}

// host adds the hosts of one host pattern with their variables.
func (p *yamlInv) host(g *group, kn, vn *yaml.Node) error {
	pattern, ok := p.scalarString(kn)
	if !ok {
		return p.errAt(kn, "quote it: \"10.0\": or '1':", "host pattern %s must be a string. Enclose integers/floats in quotation marks", kn.Value)
	}
	names, port, err := expandHostPattern(pattern)
	if err != nil {
		if re, ok := err.(*rangeError); ok {
			return p.errAt(kn, re.hint, "%s", re.msg)
		}
		return p.errAt(kn, "", "%v", err)
	}
	vn = resolveAlias(vn)
	var vars []pair
	if vn.Kind == yaml.MappingNode {
		vars = mapPairs(vn)
	} else if !isNull(vn) {
		return p.errAt(vn, "host variables are a mapping under the host: name: value", "invalid data for host %s, expected dictionary and got %s", pattern, kindName(vn))
	}
	values := make([]any, len(vars))
	for i, v := range vars {
		if values[i], err = yamlValueMode(v.v, p.mode, p.inv.secrets); err != nil {
			return err
		}
	}
	for _, n := range names {
		h, err := p.inv.addHost(n, g, port, p.path)
		if err != nil {
			return p.errAt(kn, "", "%v", err)
		}
		for i, v := range vars {
			h.Vars[p.varName(v.k)] = values[i]
		}
	}
	return nil
}
