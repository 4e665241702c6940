package playbook

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var importKeys = set("import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook",
	"include", "ansible.builtin.include", "ansible.legacy.include")

// play loads one entry of a playbook.
func (l *loader) play(src *source, n *yaml.Node) (*Play, error) {
	if n.Kind != yaml.MappingNode {
		return nil, src.errAt(n, "playbook entries must be either valid plays or 'import_playbook' statements")
	}
	ps, err := l.pairs(src, n)
	if err != nil {
		return nil, err
	}
	// Check every key before loading any, as Ansible validates attributes
	// before it loads them.
	byKey := map[string]pair{}
	for _, p := range ps {
		switch {
		case importKeys[p.key]:
			target, _ := text(src, p.val, p.key)
			return nil, src.errAt(p.keyNode, "gossible does not support '%s' yet (importing '%s')", p.key, target)
		case playUnsupported[p.key]:
			return nil, src.errAt(p.keyNode, "gossible does not support the play keyword '%s' yet", p.key)
		case !playSupported[p.key]:
			e := src.errAt(p.keyNode, "'%s' is not a valid attribute for a Play", p.key)
			e.Hint = didYouMean(closest(p.key, keys(playSupported, playUnsupported)))
			return nil, e
		}
		byKey[p.key] = p
	}
	if u, ok := byKey["user"]; ok {
		if _, both := byKey["remote_user"]; both {
			return nil, src.errAt(u.keyNode, "both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed")
		}
	}
	if _, ok := byKey["hosts"]; !ok {
		return nil, src.errAt(n, "the field 'hosts' is required but was not set")
	}

	play := &Play{Pos: src.pos(n)}
	for _, p := range ps {
		if err := l.playKeyword(src, play, p); err != nil {
			return nil, err
		}
	}
	return play, nil
}

func (l *loader) playKeyword(src *source, play *Play, p pair) error {
	var err error
	v := deref(p.val)
	switch p.key {
	case "hosts":
		play.HostPatterns, err = hosts(src, v)
		play.Hosts = strings.Join(play.HostPatterns, ",")
	case "name":
		play.Name, err = text(src, v, p.key)
	case "remote_user", "user":
		play.RemoteUser, err = text(src, v, "remote_user")
	case "become":
		play.Become, err = boolean(src, v, p.key)
	case "become_user":
		play.BecomeUser, err = text(src, v, p.key)
	case "become_method":
		play.BecomeMethod, err = text(src, v, p.key)
	case "vars":
		play.Vars, err = l.vars(src, v, "Play")
	case "vars_files":
		play.VarsFiles, err = l.varsFiles(src, v)
	case "gather_facts":
		play.GatherFacts, err = boolean(src, v, p.key)
	case "serial":
		play.Serial, err = serial(src, v)
	case "tags":
		play.Tags, err = l.tags(src, v)
	case "environment":
		play.Environment, err = l.value(src, v)
	case "ignore_errors":
		play.IgnoreErrors, err = boolean(src, v, p.key)
	case "connection":
		play.Connection, err = text(src, v, p.key)
	case "max_fail_percentage":
		play.MaxFailPercentage, err = percent(src, v, p.key)
	case "any_errors_fatal":
		play.AnyErrorsFatal, err = boolean(src, v, p.key)
	case "no_log":
		play.NoLog, err = boolOrTemplate(src, v, p.key)
	case "check_mode":
		play.CheckMode, err = boolean(src, v, p.key)
	case "strategy":
		var s string
		if s, err = text(src, v, p.key); err == nil {
			if play.Strategy = StrategyName(s); play.Strategy == "" {
				e := src.errAt(v, "gossible does not support the strategy '%s' yet", s)
				e.Hint = "the implemented strategies are linear, free and host_pinned"
				return e
			}
		}
	case "vars_prompt":
		play.VarsPrompt, err = l.varsPrompt(src, v)
	case "module_defaults":
		play.ModuleDefaults, err = l.moduleDefaults(src, v)
	case "ignore_unreachable":
		play.IgnoreUnreachable, err = boolean(src, v, p.key)
	case "order":
		if play.Order, err = text(src, v, p.key); err == nil && !hostOrders[play.Order] {
			e := src.errAt(v, "invalid 'order' specified for inventory hosts: %s", play.Order)
			e.Hint = "use one of inventory, reverse_inventory, sorted, reverse_sorted, shuffle"
			return e
		}
	case "roles":
		play.Roles, err = l.roleRefs(src, v, "")
	case "pre_tasks":
		play.PreTasks, err = l.taskList(src, v, nil, false, p.key)
	case "tasks":
		play.Tasks, err = l.taskList(src, v, nil, false, p.key)
	case "post_tasks":
		play.PostTasks, err = l.taskList(src, v, nil, false, p.key)
	case "handlers":
		play.Handlers, err = l.taskList(src, v, nil, true, p.key)
	}
	return err
}

// hosts reads the hosts keyword: a pattern string or a list of patterns.
func hosts(src *source, n *yaml.Node) ([]string, error) {
	if isNull(n) {
		return nil, src.errAt(n, "Hosts list cannot be empty. Please check your playbook")
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value == "" {
			return nil, src.errAt(n, "Hosts list cannot be empty. Please check your playbook")
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return nil, src.errAt(n, "Hosts list cannot be empty. Please check your playbook")
		}
		var parts []string
		for _, c := range n.Content {
			c = deref(c)
			if isNull(c) {
				return nil, src.errAt(c, "Hosts list cannot contain values of 'None'. Please check your playbook")
			}
			if c.Kind != yaml.ScalarNode {
				return nil, src.errAt(c, "Hosts list must be a sequence or string. Please check your playbook.")
			}
			parts = append(parts, c.Value)
		}
		return parts, nil
	}
	return nil, src.errAt(n, "Hosts list must be a sequence or string. Please check your playbook.")
}

// serial reads serial: one batch size or a list of them, each an int or a
// string ("30%", or a template left for the executor).
func serial(src *source, n *yaml.Node) ([]any, error) {
	items := oneOrList(n)
	out := make([]any, 0, len(items))
	for _, c := range items {
		c = deref(c)
		if c.Kind != yaml.ScalarNode || isNull(c) {
			return nil, src.errAt(c, "the field 'serial' should be a number, a percentage or a list of them, but is a %s", kindName(c))
		}
		if i, err := strconv.Atoi(c.Value); err == nil && c.Tag == "!!int" {
			out = append(out, i)
			continue
		}
		if c.Tag == "!!float" {
			return nil, src.errAt(c, "the field 'serial' should be a whole number or a percentage, got '%s'", c.Value)
		}
		out = append(out, c.Value)
	}
	return out, nil
}

// percent reads max_fail_percentage: a number or "N%".
func percent(src *source, n *yaml.Node, field string) (*float64, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode {
		s := strings.TrimSuffix(strings.TrimSpace(n.Value), "%")
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return &f, nil
		}
	}
	return nil, src.errAt(n, "the field '%s' should be a percentage (a number or 'N%%'), got '%s'", field, n.Value)
}

// StrategyName returns the short name of a strategy gossible implements
// (with or without the ansible.builtin. prefix), or "" for any other.
func StrategyName(s string) string {
	switch short := strings.TrimPrefix(strings.TrimPrefix(s, "ansible.builtin."), "ansible.legacy."); short {
	case "linear", "free", "host_pinned":
		return short
	}
	return ""
}
