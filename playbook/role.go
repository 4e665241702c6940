package playbook

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// roleRefs loads a roles: list. depBase is the directory holding the role
// whose meta dependencies these are ("" for a play's roles): Ansible
// searches it after roles_path.
func (l *loader) roleRefs(src *source, n *yaml.Node, depBase string) ([]*RoleRef, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, src.errAt(n, "A malformed role declaration was encountered: roles should be a list, but is a %s", kindName(n))
	}
	var out []*RoleRef
	for _, c := range n.Content {
		ref, err := l.roleRef(src, deref(c), depBase)
		if err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, nil
}

func (l *loader) roleRef(src *source, n *yaml.Node, depBase string) (*RoleRef, error) {
	ref := &RoleRef{Pos: src.pos(n)}
	switch {
	case n.Kind == yaml.ScalarNode && !isNull(n):
		ref.Name = n.Value
	case n.Kind == yaml.MappingNode:
		if err := l.roleRefMapping(src, n, ref); err != nil {
			return nil, err
		}
	default:
		return nil, src.errAt(n, "role definitions must contain a role name")
	}
	if strings.TrimSpace(ref.Name) == "" {
		return nil, src.errAt(n, "role definitions must contain a role name")
	}
	if isTemplate(ref.Name) {
		return nil, src.errAt(n, "gossible does not support a templated role name ('%s') yet", ref.Name)
	}
	path, searched := l.findRole(ref.Name, depBase)
	if path == "" {
		return nil, src.errAt(n, "the role '%s' was not found in %s", ref.Name, strings.Join(searched, ":"))
	}
	role, err := l.loadRole(src, n, path)
	if err != nil {
		return nil, err
	}
	ref.Role = role
	return ref, nil
}

// roleRefMapping reads "- role: x" (or "name: x") with vars:, tags:,
// when:, and any other keys as role parameters.
func (l *loader) roleRefMapping(src *source, n *yaml.Node, ref *RoleRef) error {
	ps, err := l.pairs(src, n)
	if err != nil {
		return err
	}
	var name, role *pair
	for i, p := range ps {
		switch p.key {
		case "role":
			role = &ps[i]
		case "name":
			name = &ps[i]
		}
	}
	if role == nil {
		role = name
	}
	if role == nil {
		return src.errAt(n, "role definitions must contain a role name")
	}
	if ref.Name, err = text(src, role.val, role.key); err != nil {
		return err
	}
	if ref.Name == "" {
		return src.errAt(role.val, "role definitions must contain a role name")
	}
	for _, p := range ps {
		if p.key == "role" || p.key == "name" {
			continue
		}
		v := deref(p.val)
		switch {
		case p.key == "vars":
			vars, err := l.vars(src, v, "Role")
			if err != nil {
				return err
			}
			ref.setVars(vars)
		case p.key == "tags":
			if ref.Tags, err = l.tags(src, v); err != nil {
				return err
			}
		case p.key == "when":
			if ref.When, err = l.conditions(src, v, p.key); err != nil {
				return err
			}
		case roleUnsupported[p.key]:
			return src.errAt(p.keyNode, "gossible does not support the role keyword '%s' yet", p.key)
		default: // a role parameter
			val, err := l.value(src, v)
			if err != nil {
				return err
			}
			ref.setVars(map[string]any{p.key: val})
		}
	}
	return nil
}

func (r *RoleRef) setVars(m map[string]any) {
	if r.Vars == nil {
		r.Vars = map[string]any{}
	}
	for k, v := range m {
		r.Vars[k] = v
	}
}

// findRole searches as Ansible 2.14 does: <playbook_dir>/roles, roles_path,
// the dependent role's directory, the playbook dir, then the name as a path.
func (l *loader) findRole(name, depBase string) (string, []string) {
	searched := []string{filepath.Join(l.pbDir, "roles")}
	searched = append(searched, l.opts.RolesPath...)
	if depBase != "" {
		searched = append(searched, depBase)
	}
	searched = append(searched, l.pbDir)
	for _, dir := range searched {
		p := filepath.Join(expandHome(dir), name)
		if isDir(p) {
			return absPath(p), searched
		}
	}
	if p := expandHome(name); strings.ContainsRune(name, '/') && isDir(p) {
		return absPath(p), searched
	}
	return "", searched
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// loadRole loads the role directory at path once per Load; ref is where it
// was named, for cycle errors.
func (l *loader) loadRole(src *source, ref *yaml.Node, path string) (*Role, error) {
	for i, p := range l.roleStack {
		if p == path {
			chain := []string{}
			for _, q := range append(l.roleStack[i:], path) {
				chain = append(chain, filepath.Base(q))
			}
			return nil, src.errAt(ref, "role dependency cycle: %s", strings.Join(chain, " -> "))
		}
	}
	if r, ok := l.roles[path]; ok {
		return r, nil
	}
	l.roleStack = append(l.roleStack, path)
	defer func() { l.roleStack = l.roleStack[:len(l.roleStack)-1] }()

	role := &Role{Name: filepath.Base(path), Path: path}
	var err error
	if role.Defaults, err = l.roleVarsFile(path, "defaults"); err != nil {
		return nil, err
	}
	if role.Vars, err = l.roleVarsFile(path, "vars"); err != nil {
		return nil, err
	}
	if err := l.roleMeta(role); err != nil {
		return nil, err
	}
	if f := mainFile(path, "tasks"); f != "" {
		if role.Tasks, err = l.taskFile(f, role, false); err != nil {
			return nil, err
		}
	}
	if f := mainFile(path, "handlers"); f != "" {
		if role.Handlers, err = l.taskFile(f, role, true); err != nil {
			return nil, err
		}
	}
	l.roles[path] = role
	return role, nil
}

// mainFile finds <role>/<dir>/main{.yml,.yaml,,.json}; "" when absent.
func mainFile(rolePath, dir string) string {
	for _, ext := range []string{".yml", ".yaml", "", ".json"} {
		p := filepath.Join(rolePath, dir, "main"+ext)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// roleVarsFile loads defaults/main or vars/main: a mapping of variables.
func (l *loader) roleVarsFile(rolePath, dir string) (map[string]any, error) {
	if isDir(filepath.Join(rolePath, dir, "main")) {
		return nil, &Error{Msg: "gossible does not support a directory of variable files yet: " + filepath.Join(rolePath, dir, "main")}
	}
	f := mainFile(rolePath, dir)
	if f == "" {
		return nil, nil
	}
	src, root, err := readYAML(f, l.opts.VaultSecrets)
	if err != nil || root == nil {
		return nil, err
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return nil, src.errAt(root, "the role file %s should hold a dictionary of variables, but holds a %s", f, kindName(root))
	}
	// Ansible does not check variable names in role variable files.
	return l.mapping(src, root, dir)
}

var metaKeys = set("dependencies", "allow_duplicates", "galaxy_info", "collections", "argument_specs")

// roleMeta loads meta/main: dependencies and allow_duplicates.
func (l *loader) roleMeta(role *Role) error {
	if _, err := os.Stat(filepath.Join(role.Path, "meta", "argument_specs.yml")); err == nil {
		return &Error{Msg: "gossible does not support role argument_specs yet: " + filepath.Join(role.Path, "meta", "argument_specs.yml")}
	}
	f := mainFile(role.Path, "meta")
	if f == "" {
		return nil
	}
	src, root, err := readYAML(f, l.opts.VaultSecrets)
	if err != nil || root == nil {
		return err
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return src.errAt(root, "the role metadata %s should be a dictionary, but is a %s", f, kindName(root))
	}
	ps, err := l.pairs(src, root)
	if err != nil {
		return err
	}
	for _, p := range ps {
		v := deref(p.val)
		switch p.key {
		case "dependencies":
			if role.Deps, err = l.roleRefs(src, v, filepath.Dir(role.Path)); err != nil {
				return err
			}
		case "allow_duplicates":
			b, err := boolean(src, v, p.key)
			if err != nil {
				return err
			}
			role.AllowDuplicates = b != nil && *b
		case "galaxy_info":
			// informational only
		case "collections", "argument_specs":
			if !isNull(v) && len(v.Content) > 0 {
				return src.errAt(p.keyNode, "gossible does not support the role metadata keyword '%s' yet", p.key)
			}
		default:
			e := src.errAt(p.keyNode, "'%s' is not a valid attribute for a RoleMetadata", p.key)
			e.Hint = didYouMean(closest(p.key, keys(metaKeys)))
			return e
		}
	}
	return nil
}
