package playbook

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// taskList loads a list of tasks and blocks (tasks:, handlers:, a block's
// children, a role's tasks file). Null is an empty list.
func (l *loader) taskList(src *source, n *yaml.Node, role *Role, handlers bool, field string) ([]*Task, error) {
	n = deref(n)
	out := []*Task{}
	if isNull(n) {
		return out, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, src.errAt(n, "A malformed block was encountered while loading %s: it should be a list or None but is %s", field, kindName(n))
	}
	for _, c := range n.Content {
		c = deref(c)
		if c.Kind != yaml.MappingNode {
			return nil, src.errAt(c, "A malformed block was encountered while loading a block. The ds (%s) should be a dict but was a %s", shortText(c), kindName(c))
		}
		t, err := l.taskOrBlock(src, c, role, handlers)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func shortText(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return "'" + n.Value + "'"
	}
	return "..."
}

func (l *loader) taskOrBlock(src *source, n *yaml.Node, role *Role, handler bool) (*Task, error) {
	ps, err := l.pairs(src, n)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.key == "block" || p.key == "rescue" || p.key == "always" {
			return l.block(src, n, ps, role, handler)
		}
	}
	return l.task(src, n, ps, role, handler)
}

// block loads a block: its children and the keywords that apply to them.
func (l *loader) block(src *source, n *yaml.Node, ps []pair, role *Role, handler bool) (*Task, error) {
	t := &Task{Pos: src.pos(n), Role: role, Handler: handler, Block: []*Task{}}
	for _, p := range ps {
		switch {
		case blockUnsupported[p.key]:
			return nil, src.errAt(p.keyNode, "gossible does not support the block keyword '%s' yet", p.key)
		case !blockSupported[p.key]:
			e := src.errAt(p.keyNode, "'%s' is not a valid attribute for a Block", p.key)
			e.Hint = didYouMean(closest(p.key, keys(blockSupported, blockUnsupported)))
			return nil, e
		}
	}
	for _, p := range ps {
		var err error
		switch p.key {
		case "block":
			t.Block, err = l.taskList(src, p.val, role, handler, "a block")
		case "rescue":
			t.Rescue, err = l.taskList(src, p.val, role, handler, "a block")
		case "always":
			t.Always, err = l.taskList(src, p.val, role, handler, "a block")
		default:
			err = l.commonKeyword(src, t, p, "Block")
		}
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

// commonKeyword loads a keyword blocks and tasks share; what names the
// owner ("Block", "Task") in messages.
func (l *loader) commonKeyword(src *source, t *Task, p pair, what string) error {
	var err error
	v := deref(p.val)
	switch p.key {
	case "name":
		t.Name, err = text(src, v, p.key)
	case "when":
		t.When, err = l.conditions(src, v, p.key)
	case "tags":
		t.Tags, err = l.tags(src, v)
	case "become":
		t.Become, err = boolean(src, v, p.key)
	case "become_user":
		t.BecomeUser, err = text(src, v, p.key)
	case "become_method":
		t.BecomeMethod, err = text(src, v, p.key)
	case "environment":
		t.Environment, err = l.value(src, v)
	case "ignore_errors":
		t.IgnoreErrors, err = boolean(src, v, p.key)
	case "vars":
		t.Vars, err = l.vars(src, v, what)
	case "no_log":
		t.NoLog, err = boolOrTemplate(src, v, p.key)
	case "check_mode":
		t.CheckMode, err = boolean(src, v, p.key)
	case "diff":
		t.Diff, err = boolean(src, v, p.key)
	case "delegate_to":
		t.DelegateTo, err = text(src, v, p.key)
	case "run_once":
		t.RunOnce, err = boolean(src, v, p.key)
	case "throttle":
		t.Throttle, err = l.value(src, v)
	case "delegate_facts":
		t.DelegateFacts, err = boolean(src, v, p.key)
	case "any_errors_fatal":
		t.AnyErrorsFatal, err = boolean(src, v, p.key)
	case "ignore_unreachable":
		t.IgnoreUnreachable, err = boolean(src, v, p.key)
	case "module_defaults":
		t.ModuleDefaults, err = l.moduleDefaults(src, v)
	default:
		return fmt.Errorf("internal: keyword %q not handled", p.key)
	}
	return err
}

// task loads one module call.
func (l *loader) task(src *source, n *yaml.Node, ps []pair, role *Role, handler bool) (*Task, error) {
	t := &Task{Pos: src.pos(n), Role: role, Handler: handler}
	var (
		actions  []pair // module keys (known or not), in order
		legacy   *pair  // action: or local_action:
		argsPair *pair
		loops    []pair
	)
	for i, p := range ps {
		switch {
		case p.key == "listen" && handler:
		case p.key == "listen":
			e := src.errAt(p.keyNode, "'listen' is not a valid attribute for a Task")
			e.Hint = "listen is only valid on handlers"
			return nil, e
		case p.key == "action" || p.key == "local_action":
			if legacy != nil {
				return nil, src.errAt(p.keyNode, "action and local_action are mutually exclusive")
			}
			legacy = &ps[i]
		case p.key == "args":
			argsPair = &ps[i]
		case p.key == "loop":
			loops = append(loops, p)
		case taskSupported[p.key]:
		case taskUnsupported[p.key]:
			return nil, src.errAt(p.keyNode, "gossible does not support the task keyword '%s' yet", p.key)
		case strings.HasPrefix(p.key, "with_"):
			if !lookups[strings.TrimPrefix(p.key, "with_")] {
				e := src.errAt(p.keyNode, "'%s' is not a valid attribute for a Task", p.key)
				e.Hint = didYouMean(closest(p.key, withKeys()))
				return nil, e
			}
			loops = append(loops, p)
		default:
			actions = append(actions, p)
		}
	}

	if err := l.taskAction(src, n, t, actions, legacy, argsPair); err != nil {
		return nil, err
	}
	if len(loops) > 1 {
		// Ansible names the with_ lookup in this message.
		name := loopName(loops[1].key)
		for _, lp := range loops {
			if lp.key != "loop" {
				name = loopName(lp.key)
				break
			}
		}
		return nil, src.errAt(loops[1].keyNode, "duplicate loop in task: %s", name)
	}
	if len(loops) == 1 {
		if err := l.loop(src, t, loops[0]); err != nil {
			return nil, err
		}
	}

	for _, p := range ps {
		if err := l.taskKeyword(src, t, p); err != nil {
			return nil, err
		}
	}
	if includeActions[t.Module] {
		if err := l.inclusion(src, n, t, role, handler); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func loopName(key string) string {
	if key == "loop" {
		return "loop"
	}
	return strings.TrimPrefix(key, "with_")
}

func withKeys() []string {
	var out []string
	for k := range lookups {
		out = append(out, "with_"+k)
	}
	return append(out, "loop")
}

// taskKeyword loads the task keywords other than the action, args and loops.
func (l *loader) taskKeyword(src *source, t *Task, p pair) error {
	var err error
	v := deref(p.val)
	switch p.key {
	case "register":
		t.Register, err = text(src, v, p.key)
	case "changed_when":
		t.ChangedWhen, err = l.conditions(src, v, p.key)
	case "failed_when":
		t.FailedWhen, err = l.conditions(src, v, p.key)
	case "notify":
		t.Notify, err = l.stringList(src, v, p.key)
	case "listen":
		t.Listen, err = l.stringList(src, v, p.key)
	case "until":
		t.Until, err = l.value(src, v)
	case "retries":
		t.Retries, err = l.value(src, v)
	case "delay":
		t.Delay, err = l.value(src, v)
	case "loop_control":
		t.LoopControl, err = l.loopControl(src, v)
	case "name", "when", "tags", "become", "become_user", "become_method", "environment",
		"ignore_errors", "vars", "no_log", "check_mode", "diff", "delegate_to", "run_once", "throttle", "delegate_facts",
		"any_errors_fatal", "ignore_unreachable", "module_defaults":
		if p.key == "delegate_to" && t.DelegateTo != "" {
			return nil // local_action already delegated to localhost, and wins
		}
		err = l.commonKeyword(src, t, p, "Task")
	}
	return err
}

// loop records loop: or with_<lookup>:.
func (l *loader) loop(src *source, t *Task, p pair) error {
	v, err := l.value(src, p.val)
	if err != nil {
		return err
	}
	t.Loop = v
	t.LoopKind = loopName(p.key)
	if s, ok := v.(string); ok && bareVarLoops[t.LoopKind] && identRe.MatchString(s) {
		t.LoopBareVar = s
	}
	return nil
}

func (l *loader) loopControl(src *source, n *yaml.Node) (map[string]any, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, src.errAt(n, "the field 'loop_control' should be a dictionary, but is a %s", kindName(n))
	}
	ps, err := l.pairs(src, n)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if !loopControlKeys[p.key] {
			e := src.errAt(p.keyNode, "'%s' is not a valid attribute for a LoopControl", p.key)
			e.Hint = didYouMean(closest(p.key, keys(loopControlKeys)))
			return nil, e
		}
	}
	return l.mapping(src, n, "loop_control")
}
