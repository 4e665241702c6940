package executor

import (
	"fmt"

	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
)

// playCtx is one play's state while it runs.
type playCtx struct {
	pb   *playbook.Playbook
	play *playbook.Play
	c    *compiled

	allDefaults []map[string]any // every role's defaults, in role order
	allRoleVars []map[string]any // every role's vars (roles are public in 2.14)
	playMagic   map[string]any   // playbook_dir, hostvars, ansible_play_name
	hostvars    map[string]any   // host name → *template.Scope
	varsFiles   map[string][]map[string]any
	preloaded   map[string]map[string]any // vars files read before the play started, by path
	// dynamic holds ansible_play_hosts & co. It is replaced (never written)
	// before each task, so scopes built for a task see a stable map.
	dynamic map[string]any
	// handlers are the play's handlers in definition order.
	handlers []*handlerEntry
	// rolesIncluded are the include_role tasks that have included their
	// role (for some host): their roles' handlers can be notified.
	rolesIncluded map[*node]bool
	inv           *invState // add_host/group_by results being carried out (addhost.go)
}

func (r *runner) newPlayCtx(pb *playbook.Playbook, play *playbook.Play) *playCtx {
	pc := &playCtx{pb: pb, play: play, c: compilePlay(play), varsFiles: map[string][]map[string]any{},
		rolesIncluded: map[*node]bool{}}
	seen := map[*playbook.Role]bool{}
	for _, ri := range pc.c.roles {
		if seen[ri.role] {
			continue
		}
		seen[ri.role] = true
		pc.allDefaults = append(pc.allDefaults, ri.defaults()...)
		if ri.role.Vars != nil {
			pc.allRoleVars = append(pc.allRoleVars, ri.role.Vars)
		}
	}
	pc.hostvars = map[string]any{}
	pc.playMagic = map[string]any{
		"playbook_dir":      pb.Dir,
		"hostvars":          pc.hostvars,
		"ansible_play_name": play.DisplayName(),
	}
	pc.dynamic = map[string]any{}
	for _, h := range r.inv.Hosts() {
		hs := r.hostState(h)
		pc.hostvars[h.Name] = r.scope(pc, hs, nil)
	}
	return pc
}

// scope builds the variables a task sees on a host, lowest precedence
// first (Ansible's VariableManager.get_vars order). n may be nil for the
// play-level scope (hostvars, play name templating).
func (r *runner) scope(pc *playCtx, hs *hostState, n *node) *template.Scope {
	layers := make([]map[string]any, 0, 24)
	layers = append(layers, pc.allDefaults...)
	var ri *roleInst
	if n != nil {
		ri = n.role
	}
	if ri != nil {
		layers = append(layers, ri.defaults()...)
	}
	if hs.host != nil {
		layers = append(layers, readState(r, func() []map[string]any { return r.inv.VarLayers(hs.host.Name) })...)
	}
	layers = append(layers, hs.facts)
	if pc.play.Vars != nil {
		layers = append(layers, pc.play.Vars)
	}
	layers = append(layers, readState(r, func() []map[string]any { return pc.varsFiles[hs.name] })...)
	layers = append(layers, pc.allRoleVars...)
	if ri != nil {
		layers = append(layers, ri.vars()...)
	}
	if n != nil {
		for _, t := range n.chain() {
			if t.Vars != nil {
				layers = append(layers, t.Vars)
			}
		}
	}
	layers = append(layers, hs.nonpersistent)
	if ri != nil {
		layers = append(layers, ri.params()...)
	}
	if n != nil {
		// include params rank above role params and set_fact (Ansible's level 21).
		layers = append(layers, includeParams(n)...)
	}
	if r.opts.ExtraVars != nil {
		layers = append(layers, r.opts.ExtraVars)
	}
	layers = append(layers, hs.magic, pc.playMagic, readState(r, func() map[string]any { return pc.dynamic }))
	if ri != nil {
		layers = append(layers, ri.magic)
	}
	if n != nil {
		// what lookups and with_first_found search (Ansible's job vars)
		sp := searchPath(pc, n)
		layers = append(layers, map[string]any{"ansible_search_path": stringsAny(sp)})
	}
	return template.NewScope(layers...).Guarded(&r.state).WithWarnings(r.workerWarner())
}

func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}
