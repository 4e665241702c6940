package executor

import (
	"github.com/gossible/gossible/internal/pyfmt"
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
	// includedFrom is the file an include_tasks brought in, on the node
	// standing for the include as the parent of that file's tasks.
	includedFrom string
	// includeParams marks the node standing for a dynamic include: its
	// vars are include params (see includeParams).
	includeParams bool

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
	// handlers and insts collect what import_role/include_role tasks add
	// to the play: the roles' handlers and instances.
	handlers []*node
	insts    []*roleInst
	// dynHandlers are include_role's: Ansible adds them when the role is
	// included, after every handler the play had from the start.
	dynHandlers []*node
}

func (b *builder) tasks(ts []*playbook.Task, parent *node, role *roleInst, tags []string, when []any, handler bool) []*node {
	out := make([]*node, 0, len(ts))
	for _, t := range ts {
		n := &node{task: t, parent: parent, role: role, handler: handler || t.Handler}
		n.tags = append(append([]string{}, tags...), t.Tags...)
		n.when = append(append([]any{}, when...), t.When...)
		if t.RoleInclude != nil && !t.IsBlock() {
			// include_role: its handlers exist from the start.
			ri := newRoleInst(t.RoleInclude, role)
			if t.Public {
				b.insts = append(b.insts, ri)
			}
			// Under the include task, the handlers see its vars, as Ansible's do.
			b.dynHandlers = append(b.dynHandlers, b.tasks(t.RoleInclude.Role.Handlers, n, ri, n.tags, nil, true)...)
		}
		if t.IsBlock() {
			crole := role
			var deps []*node
			if t.RoleInclude != nil { // import_role
				crole = newRoleInst(t.RoleInclude, role)
				b.roles(t.RoleInclude.Role.Deps, crole, n.tags, n.when, &deps, &b.handlers, &b.insts)
				b.insts = append(b.insts, crole)
				b.handlers = append(b.handlers, b.tasks(t.RoleInclude.Role.Handlers, n, crole, n.tags, n.when, true)...)
			}
			n.block = append(deps, b.tasks(t.Block, n, crole, n.tags, n.when, handler)...)
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
		ri := newRoleInst(ref, parent)
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

func newRoleInst(ref *playbook.RoleRef, parent *roleInst) *roleInst {
	return &roleInst{ref: ref, role: ref.Role, parent: parent, magic: map[string]any{
		"role_name":         ref.Role.Name,
		"role_path":         ref.Role.Path,
		"ansible_role_name": ref.Role.Name,
	}}
}

// compiled is a play ready to run.
type compiled struct {
	pre, main, post []*node
	handlers        []*node
	roles           []*roleInst
	b               *builder // for tasks included while the play runs
}

func compilePlay(play *playbook.Play) *compiled {
	b := &builder{seen: map[string]bool{}}
	c := &compiled{b: b}
	c.pre = b.tasks(play.PreTasks, nil, nil, play.Tags, nil, false)
	var roleHandlers []*node
	b.roles(play.Roles, nil, play.Tags, nil, &c.main, &roleHandlers, &c.roles)
	c.main = append(c.main, b.tasks(play.Tasks, nil, nil, play.Tags, nil, false)...)
	c.post = b.tasks(play.PostTasks, nil, nil, play.Tags, nil, false)
	c.handlers = append(roleHandlers, b.tasks(play.Handlers, nil, nil, play.Tags, nil, true)...)
	c.handlers = append(c.handlers, b.handlers...)
	c.handlers = append(c.handlers, b.dynHandlers...)
	c.roles = append(c.roles, b.insts...)
	return c
}
