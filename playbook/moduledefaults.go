package playbook

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// moduleDefaults reads module_defaults (play, block or task): a mapping of
// module names to default arguments, or a list of such mappings. Ansible
// resolves the names when it loads the play, so an unknown module is a
// load error here too; the arguments may be templates and are rendered by
// the executor for each task.
func (l *loader) moduleDefaults(src *source, n *yaml.Node) ([]map[string]any, error) {
	items := oneOrList(n)
	out := make([]map[string]any, 0, len(items))
	for _, c := range items {
		c = deref(c)
		if c.Kind != yaml.MappingNode {
			return nil, src.errAt(c, "The field 'module_defaults' is supposed to be a dictionary or list of dictionaries, "+
				"the keys of which must be static action, module, or group names. Only the values may contain templates. "+
				"For example: {'ping': \"{{ ping_defaults }}\"}")
		}
		ps, err := l.pairs(src, c)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if err := l.moduleDefaultsEntry(src, p); err != nil {
				return nil, err
			}
		}
		m, err := l.mapping(src, c, "module_defaults")
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// moduleDefaultsEntry checks one name: arguments of a module gossible
// knows, given as a mapping or as one template.
func (l *loader) moduleDefaultsEntry(src *source, p pair) error {
	if strings.HasPrefix(p.key, "group/") {
		// Ansible's action groups come from collection metadata gossible
		// does not read; ignoring the entry would silently drop defaults.
		e := src.errAt(p.keyNode, "gossible does not support action groups in module_defaults yet ('%s')", p.key)
		e.Hint = "give the defaults for each module by name (e.g. ansible.builtin.file:)"
		return e
	}
	if !l.known(p.key) {
		name := p.key
		if strings.Count(name, ".") < 2 {
			// Ansible qualifies short names before resolving them.
			name = "ansible.legacy." + name
		}
		e := src.errAt(p.keyNode, "Could not resolve action %s in module_defaults", name)
		e.Hint = didYouMean(closest(p.key, l.moduleCandidates(p.key)))
		return e
	}
	v := deref(p.val)
	if v.Kind == yaml.MappingNode || (v.Kind == yaml.ScalarNode && !isNull(v) && isTemplate(v.Value)) {
		return nil
	}
	return src.errAt(v, "the module_defaults of '%s' should be a dictionary of arguments (or a template of one), but is a %s", p.key, kindName(v))
}
