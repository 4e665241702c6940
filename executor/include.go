package executor

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
)

// IncludeCallback is told of each file an include_tasks brought in, with
// the hosts that included it (the default callback's "included:" line).
// item is the loop item, when hasItem.
type IncludeCallback interface {
	Included(path string, hosts []string, item any, hasItem bool)
}

func isDynamicInclude(module string) bool {
	switch playbook.ShortAction(module) {
	case "include_tasks", "include_role":
		return true
	}
	return false
}

// includedFile is one file (or role) included for some hosts, with the
// variables of its loop item: Ansible's IncludedFile.
type includedFile struct {
	key     string
	path    string
	hosts   []*hostState
	vars    map[string]any
	item    any
	hasItem bool
}

// runInclude runs an include_tasks or include_role: it decides per host
// (when, loop) what is included, reports the include results, then runs
// each included file's tasks on the hosts that included it, in order.
func (r *runner) runInclude(pc *playCtx, bs *batchState, n *node, hosts []*hostState, rescuable bool) error {
	if r.includeFilteredOut(n) {
		return nil
	}
	bad, varsErr := r.varsFileCheck(pc, n, hosts)
	if bad == 0 {
		return varsErr
	}
	pc.setDynamic(bs)
	r.cb.TaskStart(n.task, r.includeName(pc, n, hosts[0]), n.handler)
	if varsErr != nil {
		return varsErr
	}
	var files []*includedFile
	byKey := map[string]*includedFile{}
	outs := map[*hostState]*hostOutcome{}
	for _, hs := range hosts {
		out, incs := r.includeHost(pc, n, hs, rescuable)
		outs[hs] = out
		for _, inc := range incs {
			if f, ok := byKey[inc.key]; ok {
				f.hosts = append(f.hosts, hs)
				continue
			}
			inc.hosts = []*hostState{hs}
			byKey[inc.key] = inc
			files = append(files, inc)
		}
	}
	// Ansible loads every included file (and says so) before running any.
	loaded := make([][]*node, len(files))
	for i, f := range files {
		loaded[i] = r.loadIncluded(pc, n, f, outs)
	}
	if !n.handler {
		// any_errors_fatal and max_fail_percentage apply to the include's
		// own results, before any included task runs (as in Ansible).
		r.breakChecks(pc, bs, n, outs, rescuable)
	}
	for i, f := range files {
		if err := r.ctx.Err(); err != nil {
			return ErrInterrupted
		}
		var live []*hostState
		for _, hs := range f.hosts {
			if !hs.failed && !hs.unreachable && !hs.ended {
				live = append(live, hs)
			}
		}
		if len(live) == 0 {
			continue
		}
		if err := r.runNodes(pc, bs, loaded[i], live, rescuable); err != nil {
			return err
		}
	}
	return nil
}

// includeFilteredOut is filteredOut for an include, whose tags apply
// even in a handler.
func (r *runner) includeFilteredOut(n *node) bool {
	if !shouldRun(n.tags, orAll(r.opts.Tags), r.opts.SkipTags) {
		return true
	}
	if !r.startAtDone {
		if !startAtMatches(n, r.opts.StartAtTask) {
			return true
		}
		r.startAtDone = true
	}
	return false
}

// includeName is the include task's banner name: include_role shows its
// name, else "include_role : role", never prefixed by the role it is in
// (Ansible's IncludeRole.get_name).
func (r *runner) includeName(pc *playCtx, n *node, hs *hostState) string {
	if n.task.RoleInclude == nil {
		return r.displayName(pc, n, hs)
	}
	if n.task.Name != "" {
		return r.ownName(pc, n, hs)
	}
	return playbook.ShortAction(n.task.Module) + " : " + n.task.RoleInclude.Name
}

// includeHost evaluates the include on one host and reports its result;
// it returns the outcome and the files the host includes.
func (r *runner) includeHost(pc *playCtx, n *node, hs *hostState, rescuable bool) (*hostOutcome, []*includedFile) {
	res, incs := r.includeOnHost(pc, n, hs)
	out := &hostOutcome{hs: hs, result: res, status: statusOf(res)}
	if out.status == StatusFailed || out.status == StatusSkipped {
		r.account(out, rescuable)
	}
	if out.status == StatusFailed && res["reason"] == nil {
		res["_ansible_no_log"] = false
	}
	// Include results carry no _ansible_no_log of their own.
	r.cb.HostResult(&HostResult{Host: hs.name, Status: out.status, Result: res})
	return out, incs
}

// loadIncluded loads one included file (or role) for the hosts that
// include it and says so; a file that cannot be loaded fails those hosts
// (their outcome in outs) and yields no tasks.
func (r *runner) loadIncluded(pc *playCtx, n *node, f *includedFile, outs map[*hostState]*hostOutcome) []*node {
	if n.task.RoleInclude != nil {
		return r.includedRole(pc, n, f)
	}
	nodes, err := r.includedTasks(pc, n, f)
	if err != nil {
		for _, hs := range f.hosts {
			// Counted as a failure even where a rescue follows, as
			// Ansible's strategy does for a file it cannot load.
			r.stat(hs.name).Failed++
			hs.failed = true
			outs[hs] = &hostOutcome{hs: hs, status: StatusFailed}
			r.cb.HostResult(&HostResult{Host: hs.name, Status: StatusFailed, Result: map[string]any{"failed": true, "reason": err.Error()}})
		}
		return nil
	}
	if ic, ok := r.cb.(IncludeCallback); ok {
		ic.Included(f.path, hostNames(f.hosts), f.item, f.hasItem)
	}
	for _, hs := range f.hosts {
		r.stat(hs.name).OK++
	}
	return nodes
}

// includeOnHost evaluates the include on one host: its result for the
// callbacks and the files it includes.
func (r *runner) includeOnHost(pc *playCtx, n *node, hs *hostState) (map[string]any, []*includedFile) {
	sc := r.scope(pc, hs, n)
	fail := func(err error) (map[string]any, []*includedFile) {
		return failedResult(taskErrorMsg(n.task.Pos, err)), nil
	}
	skip := map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}
	items, isLoop, err := r.loopItems(pc, n, sc, func(msg string) { r.deprecated(msg) })
	if err != nil {
		return fail(err)
	}
	if !isLoop {
		if ok, err := r.allTrue(n.when, sc); err != nil {
			return fail(err)
		} else if !ok {
			skip["_ansible_no_log"] = false
			return skip, nil
		}
		res, inc, err := r.includeOne(pc, n, hs, sc, nil, false)
		if err != nil {
			return fail(err)
		}
		return res, []*includedFile{inc}
	}
	if len(items) == 0 {
		return map[string]any{"changed": false, "skipped": true, "skipped_reason": "No items in the list", "results": []any{}}, nil
	}
	loopVar := "item"
	if v, ok := n.task.LoopControl["loop_var"].(string); ok && v != "" {
		loopVar = v
	}
	var results []any
	var incs []*includedFile
	for _, item := range items {
		isc := sc.Child(map[string]any{loopVar: item, "ansible_loop_var": loopVar})
		ok, err := r.allTrue(n.when, isc)
		if err != nil {
			return fail(err)
		}
		var res map[string]any
		if ok {
			var inc *includedFile
			res, inc, err = r.includeOne(pc, n, hs, isc, map[string]any{loopVar: item}, true)
			if err != nil {
				return fail(err)
			}
			delete(res, "changed")
			inc.item, inc.hasItem = item, true
			incs = append(incs, inc)
		} else {
			res = map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False", "_ansible_no_log": false}
		}
		res[loopVar] = item
		res["ansible_loop_var"] = loopVar
		res["_ansible_item_label"] = item
		results = append(results, res)
		if !ok {
			r.cb.ItemResult(&HostResult{Host: hs.name, Status: StatusSkipped, Result: res}, item)
		}
	}
	if len(incs) == 0 {
		return map[string]any{"changed": false, "msg": "All items skipped", "results": results, "skipped": true}, nil
	}
	return map[string]any{"changed": false, "msg": "All items completed", "results": results}, incs
}

// includeOne is one include (for one loop item): the result and the file.
func (r *runner) includeOne(pc *playCtx, n *node, hs *hostState, sc *template.Scope, itemVars map[string]any, hasItem bool) (map[string]any, *includedFile, error) {
	vars := map[string]any{}
	for k, v := range n.task.Vars {
		vars[k] = v
	}
	for k, v := range itemVars {
		vars[k] = v
	}
	t := n.task
	if t.RoleInclude != nil {
		args := map[string]any{}
		for k, v := range t.Args {
			args[k] = v
		}
		key := "role\x00" + pyfmt.JSON(vars, 0)
		return map[string]any{"changed": false, "include_args": args},
			&includedFile{key: key, vars: vars}, nil
	}
	raw, _ := t.Args["_raw_params"].(string)
	if raw == "" {
		raw, _ = t.Args["file"].(string)
	}
	name, err := r.engine.RenderString(raw, sc)
	if err != nil {
		return nil, nil, err
	}
	var role *playbook.Role
	if n.role != nil {
		role = n.role.role
	}
	path, _ := playbook.FindTasksFile(name, t.Pos.File, role, pc.pb.Dir)
	if path == "" {
		path = filepath.Join(pc.pb.Dir, name)
		if role != nil {
			path = filepath.Join(role.Path, "tasks", name)
		}
		if filepath.IsAbs(name) {
			path = name
		}
	}
	key := path + "\x00" + pyfmt.JSON(vars, 0)
	incArgs := map[string]any{}
	for k, v := range t.Args {
		if k != "_raw_params" && k != "file" {
			incArgs[k] = v
		}
	}
	return map[string]any{"changed": false, "include": name, "include_args": incArgs},
		&includedFile{key: key, path: path, vars: vars}, nil
}

// includeParent is the include task as the parent of what it included:
// its keywords apply to the included tasks, its own when and tags do not
// (they decided the include), and its vars gain the loop item.
func includeParent(n *node, f *includedFile) *node {
	t := *n.task
	t.Vars = f.vars
	t.When, t.Tags, t.Loop, t.LoopKind = nil, nil, nil, ""
	p := &node{task: &t, parent: n.parent, role: n.role, handler: n.handler, includeParams: true,
		tags: n.tags[:len(n.tags)-len(n.task.Tags)], when: n.when[:len(n.when)-len(n.task.When)]}
	if a := n.task.Apply; a != nil {
		// apply: wraps the included tasks in a block of its keywords.
		p = &node{task: a, parent: p, role: n.role, handler: n.handler,
			tags: append(append([]string{}, p.tags...), a.Tags...), when: append(append([]any{}, p.when...), a.When...)}
	}
	return p
}

// includedTasks loads an included tasks file into nodes under the include.
func (r *runner) includedTasks(pc *playCtx, n *node, f *includedFile) ([]*node, error) {
	if !fileExistsAt(f.path) {
		return nil, fmt.Errorf("Could not find or access '%s' on the Ansible Controller.", f.path)
	}
	var role *playbook.Role
	if n.role != nil {
		role = n.role.role
	}
	chain := []string{f.path}
	for p := n; p != nil; p = p.parent {
		if p.includedFrom != "" {
			chain = append([]string{p.includedFrom}, chain...)
		}
	}
	if len(chain) > maxIncludeDepth {
		chain = append(append(chain[:3:3], "..."), chain[len(chain)-2:]...)
		return nil, fmt.Errorf("include_tasks nested more than %d deep (recursive include?): %s", maxIncludeDepth, strings.Join(chain, " -> "))
	}
	tasks, err := playbook.LoadTasksFile(f.path, role, playbook.Options{VaultSecrets: r.opts.VaultSecrets, PlaybookDir: pc.pb.Dir})
	if err != nil {
		return nil, fmt.Errorf("%s", strings.TrimPrefix(strings.TrimSpace(err.Error()), "ERROR! "))
	}
	parent := includeParent(n, f)
	parent.includedFrom = f.path // on the apply block, if any: the chain walk sees it either way
	return pc.c.b.tasks(tasks, parent, n.role, parent.tags, parent.when, n.handler), nil
}

// includedRole builds the nodes of an include_role's role for one include.
func (r *runner) includedRole(pc *playCtx, n *node, f *includedFile) []*node {
	pc.rolesIncluded[n] = true
	parent := includeParent(n, f)
	ri := newRoleInst(n.task.RoleInclude, n.role)
	var out []*node
	var handlers []*node // already known from the play's compilation
	var insts []*roleInst
	b := pc.c.b
	b.roles(n.task.RoleInclude.Role.Deps, ri, parent.tags, parent.when, &out, &handlers, &insts)
	return append(out, b.tasks(n.task.RoleInclude.Role.Tasks, parent, ri, parent.tags, parent.when, n.handler)...)
}

// maxIncludeDepth bounds nested dynamic includes: Ansible allows
// recursion ended by a condition, but a runaway one must stop.
const maxIncludeDepth = 64

func fileExistsAt(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// includeParams are the vars of the includes a task came through
// (outermost first): Ansible ranks them as "include params", above
// set_fact and registered values. scope adds them after those.
func includeParams(n *node) []map[string]any {
	var out []map[string]any
	for p := n; p != nil; p = p.parent {
		if p.includeParams && len(p.task.Vars) > 0 {
			out = append([]map[string]any{p.task.Vars}, out...)
		}
	}
	return out
}
