package executor

// handlerEntry is a handler of the play, found by name or listen topic.
type handlerEntry struct {
	n      *node
	names  []string // name and "role : name"
	listen []string
	// via is the include_role task whose role brought the handler: Ansible
	// adds such a handler to the play once the role is included. nil: the
	// play has it from the start.
	via *node
}

// includedVia is the include_role task node a handler node sits under, or nil.
func includedVia(n *node) *node {
	for p := n.parent; p != nil; p = p.parent {
		if p.task.RoleInclude != nil {
			if p.task.IsBlock() { // import_role: static
				return nil
			}
			return p
		}
	}
	return nil
}

func buildHandlers(nodes []*node) []*handlerEntry {
	var out []*handlerEntry
	var add func(ns []*node)
	add = func(ns []*node) {
		for _, n := range ns {
			if n.task.IsBlock() {
				add(n.block)
				continue
			}
			he := &handlerEntry{n: n, listen: n.task.Listen, via: includedVia(n)}
			if n.task.Name != "" {
				he.names = append(he.names, n.task.Name)
				if n.role != nil {
					he.names = append(he.names, n.role.role.Name+" : "+n.task.Name)
				}
			}
			out = append(out, he)
		}
	}
	add(nodes)
	return out
}

// notify marks the handlers named (or listening) for the host. A name no
// handler answers is an error, as in Ansible.
func (pc *playCtx) notify(hs *hostState, names []string) error {
	return pc.eachHandler(names, func(he *handlerEntry) { hs.notified[he] = true })
}

// notifiable fails as notify would, without notifying: Ansible meets an
// unknown handler while it takes in the result, before showing it.
func (pc *playCtx) notifiable(out *hostOutcome, names []string) error {
	if !out.notify || len(names) == 0 {
		return nil
	}
	return pc.eachHandler(names, func(*handlerEntry) {})
}

// eachHandler calls fn for each handler that names answer, in definition order.
func (pc *playCtx) eachHandler(names []string, fn func(*handlerEntry)) error {
	for _, name := range names {
		found := false
		for _, he := range pc.handlers {
			if he.via != nil && !pc.rolesIncluded[he.via] {
				continue
			}
			if contains(he.names, name) || contains(he.listen, name) {
				fn(he)
				found = true
			}
		}
		if !found {
			return fatalf("The requested handler '%s' was not found in either the main handlers list nor in the listening handlers list", name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// flushHandlers runs notified handlers in definition order, each once per
// notified host still running. Like Ansible's flush_handlers task, it
// first gathers the running hosts' variables (see varsFileCheck): with no
// pre_tasks or facts to gather, the one at the end of pre_tasks is where a
// play meets a vars file it cannot read.
func (r *runner) flushHandlers(pc *playCtx, bs *batchState) error {
	if _, err := r.varsFileCheck(pc, nil, bs.active()); err != nil {
		return err
	}
	for _, he := range pc.handlers {
		var hosts []*hostState
		candidates := bs.active()
		if r.opts.ForceHandlers {
			candidates = nil
			for _, hs := range bs.batch {
				if !hs.unreachable {
					candidates = append(candidates, hs)
				}
			}
		}
		for _, hs := range candidates {
			if hs.notified[he] {
				delete(hs.notified, he)
				hosts = append(hosts, hs)
			}
		}
		if len(hosts) == 0 {
			continue
		}
		run := r.runTask
		if isDynamicInclude(he.n.task.Module) {
			run = r.runInclude
		}
		if err := run(pc, bs, he.n, hosts, false); err != nil {
			return err
		}
	}
	return nil
}
