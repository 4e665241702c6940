package executor

import (
	"github.com/gossible/gossible/output/pyfmt"
	"github.com/gossible/gossible/playbook"
)

// roleInst is one use of a role in a play: its ref (with params), and the
// role that pulled it in as a dependency.
type roleInst struct {
	ref    *playbook.RoleRef
	role   *playbook.Role
	parent *roleInst
	magic  map[string]any // role_name, role_path, ansible_role_name
}

// defaults returns the role's defaults layers, dependencies first
// (get_default_vars with the dependency chain).
func (ri *roleInst) defaults() []map[string]any {
	if ri == nil {
		return nil
	}
	var out []map[string]any
	var add func(r *playbook.Role, seen map[*playbook.Role]bool)
	add = func(r *playbook.Role, seen map[*playbook.Role]bool) {
		if seen[r] {
			return
		}
		seen[r] = true
		for _, d := range r.Deps {
			if d.Role != nil {
				add(d.Role, seen)
			}
		}
		if r.Defaults != nil {
			out = append(out, r.Defaults)
		}
	}
	add(ri.role, map[*playbook.Role]bool{})
	return out
}

// vars returns the role's vars/main.yml layers, dependencies first, then
// the parent chain's (which rank above a dependency's, as the dep chain does).
func (ri *roleInst) vars() []map[string]any {
	var out []map[string]any
	for p := ri; p != nil; p = p.parent {
		if p.role.Vars != nil {
			out = append([]map[string]any{p.role.Vars}, out...)
		}
	}
	return out
}

// params returns the role params of the instance and its parents (parents low).
func (ri *roleInst) params() []map[string]any {
	var out []map[string]any
	for p := ri; p != nil; p = p.parent {
		if p.ref != nil && p.ref.Vars != nil {
			out = append([]map[string]any{p.ref.Vars}, out...)
		}
	}
	return out
}

// node is a task (or block) in its context: the enclosing block and role,
// and the tags and conditions it inherits.
type node struct {
	task    *playbook.Task
	parent  *node
	role    *roleInst
	tags    []string // inherited and own
	when    []any    // inherited conditions, then own
	handler bool
	gather  bool // the implicit "Gathering Facts" task

	block, rescue, always []*node
}

// chain returns the node and its enclosing blocks, outermost first.
func (n *node) chain() []*playbook.Task {
	var out []*playbook.Task
	for p := n; p != nil; p = p.parent {
		out = append([]*playbook.Task{p.task}, out...)
	}
	return out
}

// name is Ansible's Task.get_name(): "role : name", the name, or the action.
func (n *node) name() string {
	t := n.task
	base := t.Name
	if base == "" {
		base = t.Module
	}
	if n.role != nil {
		return n.role.role.Name + " : " + base
	}
	return base
}

// builder turns a play's task lists and roles into nodes.
type builder struct {
	seen map[string]bool // role references already expanded
}

func (b *builder) tasks(ts []*playbook.Task, parent *node, role *roleInst, tags []string, when []any, handler bool) []*node {
	out := make([]*node, 0, len(ts))
	for _, t := range ts {
		n := &node{task: t, parent: parent, role: role, handler: handler || t.Handler}
		n.tags = append(append([]string{}, tags...), t.Tags...)
		n.when = append(append([]any{}, when...), t.When...)
		if t.IsBlock() {
			n.block = b.tasks(t.Block, n, role, n.tags, n.when, handler)
			n.rescue = b.tasks(t.Rescue, n, role, n.tags, n.when, handler)
			n.always = b.tasks(t.Always, n, role, n.tags, n.when, handler)
		}
		out = append(out, n)
	}
	return out
}

// roles expands role refs, dependencies first, each role once unless its
// params differ or it allows duplicates.
func (b *builder) roles(refs []*playbook.RoleRef, parent *roleInst, tags []string, when []any, out *[]*node, handlers *[]*node, insts *[]*roleInst) {
	for _, ref := range refs {
		if ref.Role == nil {
			continue
		}
		ri := &roleInst{ref: ref, role: ref.Role, parent: parent, magic: map[string]any{
			"role_name":         ref.Role.Name,
			"role_path":         ref.Role.Path,
			"ansible_role_name": ref.Role.Name,
		}}
		rtags := append(append([]string{}, tags...), ref.Tags...)
		rwhen := append(append([]any{}, when...), ref.When...)
		b.roles(ref.Role.Deps, ri, rtags, rwhen, out, handlers, insts)
		// Ansible's role cache key: params, when and tags of the reference.
		key := ref.Role.Path + "\x00" + pyfmt.JSON(ref.Vars, 0) + "\x00" + pyfmt.JSON(ref.Tags, 0) + "\x00" + pyfmt.JSON(ref.When, 0)
		if b.seen[key] && !ref.Role.AllowDuplicates {
			continue
		}
		b.seen[key] = true
		*insts = append(*insts, ri)
		*out = append(*out, b.tasks(ref.Role.Tasks, nil, ri, rtags, rwhen, false)...)
		*handlers = append(*handlers, b.tasks(ref.Role.Handlers, nil, ri, rtags, rwhen, true)...)
	}
}

// compiled is a play ready to run.
type compiled struct {
	pre, main, post []*node
	handlers        []*node
	roles           []*roleInst
}

func compilePlay(play *playbook.Play) *compiled {
	b := &builder{seen: map[string]bool{}}
	c := &compiled{}
	c.pre = b.tasks(play.PreTasks, nil, nil, play.Tags, nil, false)
	var roleHandlers []*node
	b.roles(play.Roles, nil, play.Tags, nil, &c.main, &roleHandlers, &c.roles)
	c.main = append(c.main, b.tasks(play.Tasks, nil, nil, play.Tags, nil, false)...)
	c.post = b.tasks(play.PostTasks, nil, nil, play.Tags, nil, false)
	c.handlers = append(roleHandlers, b.tasks(play.Handlers, nil, nil, play.Tags, nil, true)...)
	return c
}
