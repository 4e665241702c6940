package playbook

import (
	"errors"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// taskAction finds the task's module among its non-keyword keys (or in the
// legacy action:/local_action: forms) and builds its arguments the way
// Ansible's ModuleArgsParser does: args: first, the module's own
// arguments over them.
func (l *loader) taskAction(src *source, n *yaml.Node, t *Task, actions []pair, legacy, argsPair *pair) error {
	base := map[string]any{}
	if argsPair != nil {
		var err error
		if base, err = l.extraArgs(src, deref(argsPair.val)); err != nil {
			return err
		}
	}
	var (
		module string
		at     *yaml.Node // where the module was named
		args   map[string]any
		err    error
	)
	if legacy != nil {
		at = legacy.keyNode
		module, args, err = l.legacyAction(src, deref(legacy.val))
		if err != nil {
			return err
		}
		if legacy.key == "local_action" {
			t.DelegateTo = "localhost"
		}
		if module == "" {
			return src.errAt(n, "no module/action detected in task.")
		}
		if len(actions) > 0 {
			e := src.errAt(actions[0].keyNode, "conflicting action statements: %s, %s", module, actions[0].key)
			e.Hint = l.conflictHint(actions)
			return e
		}
		if !l.known(module) {
			return l.unknownModule(src, at, module)
		}
	} else {
		switch {
		case len(actions) == 0:
			return src.errAt(n, "no module/action detected in task.")
		case len(actions) > 1:
			e := src.errAt(actions[1].keyNode, "conflicting action statements: %s, %s", actions[0].key, actions[1].key)
			e.Hint = l.conflictHint(actions)
			return e
		}
		a := actions[0]
		module, at = a.key, a.keyNode
		if !l.known(module) {
			return l.unknownModule(src, at, module)
		}
		if args, err = l.moduleArgs(src, module, deref(a.val)); err != nil {
			return err
		}
	}
	for k, v := range args {
		base[k] = v
	}
	if raw, ok := base["_raw_params"].(string); ok && raw != "" && !rawParamOK[module] {
		if isTemplate(raw) {
			return src.errAt(at, "gossible does not support module arguments given as one template ('%s') yet", raw)
		}
		return src.errAt(at, "this task '%s' has extra params, which is only allowed in the following modules: %s",
			module, strings.Join(sortedKeys(rawParamOK), ", "))
	}
	if !freeForm[module] {
		for k := range base {
			if strings.HasPrefix(k, "_ansible_") {
				return src.errAt(at, "invalid parameter specified for action '%s': '%s'", module, k)
			}
		}
	}
	t.Module = module
	if len(base) > 0 {
		t.Args = base
	}
	return nil
}

// staticActions are the include/import actions Ansible handles itself
// rather than as modules; unless the registry provides them they are
// reported as unsupported, not as misspellings.
var staticActions = withFQCN("include", "include_tasks", "include_role", "import_tasks", "import_role", "import_playbook")

func isTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}

func sortedKeys(m map[string]bool) []string {
	out := keys(m)
	sort.Strings(out)
	return out
}

func (l *loader) known(module string) bool {
	return includeActions[module] || l.opts.KnownModule == nil || l.opts.KnownModule(module)
}

// unknownModule is Ansible's error for a key that is neither a keyword nor
// a module, with the closest module or keyword as a hint.
func (l *loader) unknownModule(src *source, at *yaml.Node, name string) error {
	if staticActions[name] {
		return src.errAt(at, "gossible does not support the task action '%s' yet", name)
	}
	e := src.errAt(at, "couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", name)
	e.Hint = didYouMean(l.suggestAction(name))
	return e
}

// conflictHint explains a conflict caused by a key that is not a module
// (often a misspelled keyword).
func (l *loader) conflictHint(actions []pair) string {
	for _, a := range actions {
		if !l.known(a.key) {
			h := "'" + a.key + "' is neither a task keyword nor a known module"
			if s := l.suggestAction(a.key); s != "" {
				h += "; did you mean '" + s + "'?"
			}
			return h
		}
	}
	return "a task calls exactly one module"
}

// suggestAction finds the closest module name (short names for a short
// key, full names for a dotted one) or task keyword.
func (l *loader) suggestAction(name string) string {
	return closest(name, append(keys(taskSupported), l.moduleCandidates(name)...))
}

// moduleCandidates are the module names to suggest for name: short names
// for a short name, full names for a dotted one.
func (l *loader) moduleCandidates(name string) []string {
	if l.opts.ModuleNames == nil {
		return nil
	}
	var cands []string
	for _, m := range l.opts.ModuleNames() {
		if !strings.Contains(name, ".") {
			m = m[strings.LastIndex(m, ".")+1:]
		}
		cands = append(cands, m)
	}
	return cands
}

// extraArgs reads the args: keyword.
func (l *loader) extraArgs(src *source, n *yaml.Node) (map[string]any, error) {
	switch {
	case isNull(n):
		return map[string]any{}, nil
	case n.Kind == yaml.MappingNode:
		return l.mapping(src, n, "args")
	case n.Kind == yaml.ScalarNode && isTemplate(n.Value):
		return nil, src.errAt(n, "gossible does not support args given as one template ('%s') yet", n.Value)
	case n.Kind == yaml.ScalarNode:
		return nil, src.errAt(n, "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')")
	}
	return nil, src.errAt(n, "Complex args must be a dictionary or variable string (\"{{var}}\").")
}

// moduleArgs reads the value of a module key: a mapping, a k=v string
// (free text for command-like modules), or nothing.
func (l *loader) moduleArgs(src *source, module string, n *yaml.Node) (map[string]any, error) {
	switch {
	case isNull(n):
		return nil, nil
	case n.Kind == yaml.MappingNode:
		return l.mapping(src, n, module)
	case n.Kind == yaml.ScalarNode && isString(n):
		return kvArgs(src, n, n.Value, module)
	}
	return nil, src.errAt(n, "unexpected parameter type in action: %s", kindName(n))
}

func isString(n *yaml.Node) bool {
	quoted := n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0
	if quoted {
		return true
	}
	_, isBool := yaml11Bool[n.Value]
	return (n.Tag == "!!str" && !isBool) || n.Tag == "!!timestamp"
}

func kvArgs(src *source, at *yaml.Node, s, module string) (map[string]any, error) {
	args, err := parseKV(s, freeForm[module])
	if errors.Is(err, errUnbalanced) {
		return nil, src.errAt(at, "%v: %s", err, s)
	}
	return args, err
}

// legacyAction reads "action: copy src=a dest=b" and
// "action: {module: copy, src: a}".
func (l *loader) legacyAction(src *source, n *yaml.Node) (string, map[string]any, error) {
	switch {
	case isNull(n):
		return "", nil, nil
	case n.Kind == yaml.ScalarNode && isString(n):
		module, rest, err := splitModule(n.Value)
		if err != nil {
			return "", nil, src.errAt(n, "%v: %s", err, n.Value)
		}
		args, err := kvArgs(src, n, rest, module)
		return module, args, err
	case n.Kind == yaml.MappingNode:
		m, err := l.mapping(src, n, "action")
		if err != nil {
			return "", nil, err
		}
		ms, ok := m["module"].(string)
		if !ok {
			return "", nil, nil
		}
		delete(m, "module")
		module, rest, err := splitModule(ms)
		if err != nil {
			return "", nil, src.errAt(n, "%v: %s", err, ms)
		}
		extra, err := kvArgs(src, n, rest, module)
		if err != nil {
			return "", nil, err
		}
		for k, v := range extra {
			m[k] = v
		}
		return module, m, nil
	}
	return "", nil, src.errAt(n, "unexpected parameter type in action: %s", kindName(n))
}

// splitModule splits "copy src=a dest=b" into the module and the rest.
func splitModule(s string) (string, string, error) {
	words, err := splitArgs(s)
	if err != nil {
		return "", "", err
	}
	if len(words) == 0 {
		return "", "", nil
	}
	return strings.TrimSpace(words[0]), strings.Join(words[1:], " "), nil
}
