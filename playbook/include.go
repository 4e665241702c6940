package playbook

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// includeActions are the inclusion actions the loader and executor handle
// themselves rather than as modules.
var includeActions = withFQCN("import_tasks", "include_tasks", "import_role", "include_role", "include_vars")

// IsIncludeAction reports whether module is one of the task inclusion
// actions (include_tasks, include_role, include_vars and the imports).
func IsIncludeAction(module string) bool { return includeActions[module] }

// ShortAction strips the ansible.builtin./ansible.legacy. prefix.
func ShortAction(module string) string {
	for _, p := range []string{"ansible.builtin.", "ansible.legacy."} {
		module = strings.TrimPrefix(module, p)
	}
	return module
}

var roleIncludeKeys = set("name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public", "allow_duplicates", "apply", "rolespec_validate")

// inclusion finishes an include/import task: imports become a block of the
// imported tasks (keywords inherited as Ansible's static imports do), roles
// are resolved now, include_tasks and include_vars are left to the run.
func (l *loader) inclusion(src *source, n *yaml.Node, t *Task, role *Role, handler bool) error {
	action := ShortAction(t.Module)
	if t.Loop != nil && strings.HasPrefix(action, "import_") {
		return src.errAt(n, "You cannot use loops on '%s' statements. You should use '%s' instead.", action, strings.Replace(action, "import_", "include_", 1))
	}
	switch action {
	case "import_tasks":
		return l.importTasks(src, n, t, role, handler)
	case "include_tasks":
		if _, err := includeFile(src, n, t, action); err != nil {
			return err
		}
		for k := range t.Args {
			if k != "_raw_params" && k != "file" && k != "apply" {
				return src.errAt(n, "Invalid options for include_tasks: %s", k)
			}
		}
		return l.apply(src, n, t)
	case "import_role", "include_role":
		return l.roleInclusion(src, n, t, action, handler)
	}
	return nil // include_vars runs as an action
}

// includeFile is the file an include_tasks/import_tasks names.
func includeFile(src *source, n *yaml.Node, t *Task, action string) (string, error) {
	raw, _ := t.Args["_raw_params"].(string)
	if f, ok := t.Args["file"].(string); ok && raw == "" {
		raw = f
	}
	if strings.TrimSpace(raw) == "" {
		return "", src.errAt(n, "No file specified for %s", action)
	}
	return raw, nil
}

// importTasks loads the imported file and turns t into a block holding it.
func (l *loader) importTasks(src *source, n *yaml.Node, t *Task, role *Role, handler bool) error {
	name, err := includeFile(src, n, t, "import_tasks")
	if err != nil {
		return err
	}
	if isTemplate(name) {
		return src.errAt(n, "gossible does not support a templated file name in import_tasks ('%s') yet", name)
	}
	path, searched := FindTasksFile(name, src.path, role, l.pbDir)
	if path == "" {
		e := src.errAt(n, "Unable to retrieve file contents\nCould not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", searched[0])
		e.Hint = "import_tasks looked in: " + strings.Join(searched, ", ")
		return e
	}
	for i, p := range l.importStack {
		if p == path {
			chain := append(append([]string{}, l.importStack[i:]...), path)
			return src.errAt(n, "recursive import_tasks: %s", strings.Join(chain, " -> "))
		}
	}
	l.importStack = append(l.importStack, path)
	defer func() { l.importStack = l.importStack[:len(l.importStack)-1] }()
	tasks, err := l.taskFile(path, role, handler)
	if err != nil {
		return err
	}
	asBlock(t, "import_tasks", tasks)
	return nil
}

// asBlock turns an import task into the block it expands to.
func asBlock(t *Task, action string, tasks []*Task) {
	t.Imported = action
	t.Module = ""
	t.Args = nil
	t.Block = tasks
}

// FindTasksFile finds a tasks file named by an include or import: in the
// role's tasks directory, next to the including file, then in the playbook
// directory. It returns "" and the places searched when none exists.
func FindTasksFile(name, fromFile string, role *Role, pbDir string) (string, []string) {
	if filepath.IsAbs(name) {
		if fileExists(name) {
			return name, nil
		}
		return "", []string{name}
	}
	var cands []string
	if role != nil {
		cands = append(cands, filepath.Join(role.Path, "tasks", name), filepath.Join(role.Path, name))
	}
	if fromFile != "" {
		cands = append(cands, filepath.Join(filepath.Dir(fromFile), name))
	}
	if p := filepath.Join(pbDir, name); len(cands) == 0 || cands[len(cands)-1] != p {
		cands = append(cands, p)
	}
	for _, c := range cands {
		if fileExists(c) {
			return c, cands
		}
	}
	return "", cands
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// roleInclusion resolves an import_role/include_role's role with its
// *_from variant; an import also becomes a block of the role's tasks.
func (l *loader) roleInclusion(src *source, n *yaml.Node, t *Task, action string, handler bool) error {
	opts := map[string]string{}
	for k, v := range t.Args {
		if !roleIncludeKeys[k] {
			return src.errAt(n, "Invalid options for %s: %s", action, k)
		}
		switch k {
		case "apply":
			if action == "import_role" {
				return src.errAt(n, "Invalid options for import_role: apply")
			}
			if err := l.apply(src, n, t); err != nil {
				return err
			}
		case "rolespec_validate":
			return src.errAt(n, "gossible does not support the %s option '%s' yet", action, k)
		case "public", "allow_duplicates":
			b, ok := v.(bool)
			if !ok {
				return src.errAt(n, "the %s option '%s' should be a boolean", action, k)
			}
			if k == "public" {
				t.Public = b
			}
		default:
			s, ok := v.(string)
			if !ok {
				return src.errAt(n, "the %s option '%s' should be a string", action, k)
			}
			if isTemplate(s) {
				return src.errAt(n, "gossible does not support a templated %s '%s' ('%s') yet", action, k, s)
			}
			opts[k] = s
		}
	}
	name := opts["name"]
	if name == "" {
		return src.errAt(n, "'name' is a required field for %s.", action)
	}
	path, searched := l.findRole(name, "")
	if path == "" {
		return src.errAt(n, "the role '%s' was not found in %s", name, strings.Join(searched, ":"))
	}
	base, err := l.loadRole(src, n, path)
	if err != nil {
		return err
	}
	role, err := l.roleVariant(src, n, base, opts)
	if err != nil {
		return err
	}
	t.RoleInclude = &RoleRef{Pos: src.pos(n), Name: name, Tags: t.Tags, When: t.When, Role: role}
	if action == "import_role" {
		asBlock(t, action, role.Tasks)
	}
	return nil
}

// roleVariant is the role with the files tasks_from, vars_from,
// defaults_from and handlers_from name in place of the main ones.
func (l *loader) roleVariant(src *source, n *yaml.Node, base *Role, opts map[string]string) (*Role, error) {
	if opts["tasks_from"] == "" && opts["vars_from"] == "" && opts["defaults_from"] == "" && opts["handlers_from"] == "" {
		return base, nil
	}
	v := *base
	for _, kind := range []string{"tasks", "handlers", "vars", "defaults"} {
		from := opts[kind+"_from"]
		if from == "" {
			continue
		}
		f := roleFile(base.Path, kind, from)
		if f == "" {
			return nil, src.errAt(n, "Could not find specified file in role: %s/%s", kind, from)
		}
		var err error
		switch kind {
		case "tasks":
			v.Tasks, err = l.taskFile(f, &v, false)
		case "handlers":
			v.Handlers, err = l.taskFile(f, &v, true)
		case "vars", "defaults":
			var m map[string]any
			m, err = l.varsMapping(f, kind)
			if kind == "vars" {
				v.Vars = m
			} else {
				v.Defaults = m
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return &v, nil
}

// roleFile finds <role>/<kind>/<name> with Ansible's extensions.
func roleFile(rolePath, kind, name string) string {
	for _, ext := range []string{"", ".yml", ".yaml", ".json"} {
		p := filepath.Join(rolePath, kind, name+ext)
		if fileExists(p) {
			return p
		}
	}
	return ""
}

// varsMapping loads a file of variables (vars_from, defaults_from).
func (l *loader) varsMapping(f, what string) (map[string]any, error) {
	src, root, err := readYAML(f, l.opts.VaultSecrets)
	if err != nil || root == nil {
		return nil, err
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return nil, src.errAt(root, "the role file %s should hold a dictionary of variables, but holds a %s", f, kindName(root))
	}
	return l.mapping(src, root, what)
}

// importPlaybook loads the plays of an import_playbook entry.
func (l *loader) importPlaybook(src *source, n *yaml.Node, ps []pair) ([]*Play, error) {
	var (
		target *pair
		vars   map[string]any
		tags   []string
		when   []any
		err    error
	)
	for i, p := range ps {
		v := deref(p.val)
		switch p.key {
		case "import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook":
			target = &ps[i]
		case "name":
		case "vars":
			vars, err = l.vars(src, v, "PlaybookInclude")
		case "tags":
			tags, err = l.tags(src, v)
		case "when":
			when, err = l.conditions(src, v, p.key)
		default:
			return nil, src.errAt(p.keyNode, "'%s' is not a valid attribute for a PlaybookInclude", p.key)
		}
		if err != nil {
			return nil, err
		}
	}
	plays, err := l.importedPlays(src, target)
	if err != nil {
		return nil, err
	}
	for _, play := range plays {
		// The play's own vars win over the import's.
		if len(vars) > 0 {
			merged := map[string]any{}
			for k, v := range vars {
				merged[k] = v
			}
			for k, v := range play.Vars {
				merged[k] = v
			}
			play.Vars = merged
		}
		play.Tags = append(append([]string{}, tags...), play.Tags...)
		if len(when) > 0 {
			for _, ts := range [][]*Task{play.PreTasks, play.Tasks, play.PostTasks, play.Handlers} {
				for _, t := range ts {
					t.When = append(append([]any{}, when...), t.When...)
				}
			}
			for _, r := range play.Roles {
				r.When = append(append([]any{}, when...), r.When...)
			}
		}
	}
	return plays, nil
}

// importedPlays reads the playbook an import_playbook names.
func (l *loader) importedPlays(src *source, target *pair) ([]*Play, error) {
	name, err := text(src, target.val, target.key)
	if err != nil {
		return nil, err
	}
	if isTemplate(name) {
		return nil, src.errAt(target.val, "gossible does not support a templated import_playbook ('%s') yet", name)
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(src.path), name)
	}
	if !fileExists(path) {
		return nil, src.errAt(target.val, "Unable to retrieve file contents\nCould not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", path)
	}
	for _, p := range l.importStack {
		if p == path {
			return nil, src.errAt(target.val, "recursive import_playbook: %s -> %s", strings.Join(l.importStack, " -> "), path)
		}
	}
	l.importStack = append(l.importStack, path)
	// Roles and relative imports of the imported playbook are found from
	// its own directory.
	saved := l.pbDir
	l.pbDir = filepath.Dir(path)
	defer func() {
		l.importStack = l.importStack[:len(l.importStack)-1]
		l.pbDir = saved
	}()
	isrc, root, err := readYAML(path, l.opts.VaultSecrets)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, nil
	}
	root = deref(root)
	if root.Kind != yaml.SequenceNode {
		return nil, isrc.errAt(root, "A playbook must be a list of plays, got a %s instead: %s", ansibleClass(root), path)
	}
	return l.entries(isrc, root)
}

// entries loads a playbook's list: plays and import_playbook entries.
func (l *loader) entries(src *source, root *yaml.Node) ([]*Play, error) {
	var out []*Play
	for _, c := range root.Content {
		c = deref(c)
		if c.Kind == yaml.MappingNode && isPlaybookImport(c) {
			ps, err := l.pairs(src, c)
			if err != nil {
				return nil, err
			}
			{
				plays, err := l.importPlaybook(src, c, ps)
				if err != nil {
					return nil, err
				}
				out = append(out, plays...)
				continue
			}
		}
		play, err := l.play(src, c)
		if err != nil {
			return nil, err
		}
		out = append(out, play)
	}
	return out, nil
}

func isPlaybookImport(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook":
			return true
		}
	}
	return false
}

// apply loads an include's apply: keywords (block keywords) into t.Apply.
func (l *loader) apply(src *source, n *yaml.Node, t *Task) error {
	if _, ok := t.Args["apply"]; !ok {
		return nil
	}
	an := findApply(n)
	if an == nil {
		return src.errAt(n, "gossible could not find the apply: of this include")
	}
	an = deref(an)
	if an.Kind != yaml.MappingNode {
		return src.errAt(an, "Expected a dict for apply but got %s instead", kindName(an))
	}
	ps, err := l.pairs(src, an)
	if err != nil {
		return err
	}
	b := &Task{Pos: src.pos(an), Role: t.Role, Handler: t.Handler}
	for _, p := range ps {
		if !blockSupported[p.key] || p.key == "block" || p.key == "rescue" || p.key == "always" {
			return src.errAt(p.keyNode, "'%s' is not a valid attribute for a Block (in apply)", p.key)
		}
		if err := l.commonKeyword(src, b, p, "Block"); err != nil {
			return err
		}
	}
	t.Apply = b
	return nil
}

// findApply finds the apply: mapping in an include task's module mapping
// or its args:.
func findApply(n *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := deref(n.Content[i+1])
		if v.Kind != yaml.MappingNode || !(includeActions[n.Content[i].Value] || n.Content[i].Value == "args") {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			if v.Content[j].Value == "apply" {
				return v.Content[j+1]
			}
		}
	}
	return nil
}
