package executor

import "strings"

// MetaActions are the `meta:` actions gossible runs; others are refused.
var MetaActions = []string{"flush_handlers", "noop", "end_play", "end_batch", "end_host",
	"clear_facts", "clear_host_errors", "reset_connection", "refresh_inventory"}

// metaPerHost are the actions Ansible's linear strategy runs for every
// host; the others run once, with the first host's variables.
// Each host's run shows the task banner again.
var metaPerHost = map[string]bool{"noop": true, "reset_connection": true, "end_host": true}

func isMeta(module string) bool {
	return module == "meta" || module == "ansible.builtin.meta"
}

// runMeta runs a meta task: they act on the play, not on hosts, and show
// no host line unless their condition is false.
func (r *runner) runMeta(pc *playCtx, bs *batchState, n *node, hosts []*hostState) error {
	action, err := metaAction(n)
	if err != nil {
		return err
	}
	if _, err := r.varsFileCheck(pc, n, hosts); err != nil {
		return err
	}
	// Ansible 2.14 shows the banner of a meta task (once per host for the
	// per-host actions), and no host line.
	banner := func() { r.cb.TaskStart(n.task, r.displayName(pc, n, hosts[0]), n.handler) }
	switch action {
	case "flush_handlers":
		banner()
		return r.flushHandlers(pc, bs)
	case "noop", "refresh_inventory":
		for range hosts {
			banner()
			if !metaPerHost[action] {
				break
			}
		}
		// refresh_inventory: gossible's inventory sources are static files
		// already read, so re-reading them would change nothing.
		return nil
	}
	targets := hosts
	if !metaPerHost[action] {
		targets = hosts[:1]
	}
	var run []*hostState
	for _, hs := range targets {
		banner()
		ok, err := r.allTrue(n.when, r.scope(pc, hs, n))
		if err != nil {
			return fatalf("%s", taskErrorMsg(n.task.Pos, err))
		}
		if ok {
			run = append(run, hs)
			continue
		}
		r.metaSkipped(hs, action)
	}
	return r.metaEffect(pc, bs, n, action, run)
}

// metaAction is the meta task's action; one gossible does not run is an
// error.
func metaAction(n *node) (string, error) {
	action := ""
	if v, ok := n.task.Args["_raw_params"].(string); ok {
		action = strings.TrimSpace(v)
	}
	for _, a := range MetaActions {
		if a == action {
			return action, nil
		}
	}
	return "", fatalf("meta action '%s' is not supported by gossible (supported: %s)", action, strings.Join(MetaActions, ", "))
}

// metaSkipped shows the result of a meta task whose condition is false on
// the host: shown but not counted in the recap, as Ansible does.
func (r *runner) metaSkipped(hs *hostState, action string) {
	r.cb.HostResult(&HostResult{Host: hs.name, Status: StatusSkipped, Result: map[string]any{
		"action": "meta", "msg": metaSkipMsg(action, hs.name), "skipped": true, "skip_reason": metaSkipReason(action, hs.name),
	}})
}

// metaEffect applies a meta action for the hosts whose condition held
// (flush_handlers, noop and refresh_inventory are the strategy's business).
func (r *runner) metaEffect(pc *playCtx, bs *batchState, n *node, action string, run []*hostState) error {
	if len(run) == 0 {
		return nil
	}
	switch action {
	case "end_play", "end_batch":
		for _, hs := range bs.batch {
			if !hs.failed && !hs.unreachable {
				hs.ended = true
			}
		}
	case "end_host":
		for _, hs := range run {
			hs.ended = true
		}
	case "clear_facts":
		for _, name := range bs.all {
			if hs, ok := r.hosts[name]; ok {
				r.writeState(hs.clearFacts)
			}
		}
	case "clear_host_errors":
		// Failed hosts stay out of this play but are no longer failed
		// for the plays after it (Ansible's failed_hosts is cleared).
		for _, name := range bs.all {
			if hs, ok := r.hosts[name]; ok && (hs.failed || hs.unreachable) {
				hs.errorsCleared = true
				hs.everFailed = false
				if hs.unreachable {
					hs.unreachable, hs.failed = false, true
				}
			}
		}
	case "reset_connection":
		for _, hs := range run {
			if err := r.resetConnection(pc, n, hs); err != nil {
				return err
			}
		}
	}
	return nil
}

// metaSkipReason is Ansible's skip_reason for a meta task whose condition
// is false.
func metaSkipReason(action, host string) string {
	reason := action + " conditional evaluated to False"
	switch action {
	case "end_play":
		reason += ", continuing play"
	case "end_batch":
		reason += ", continuing current batch"
	case "end_host":
		reason += ", continuing execution for " + host
	case "clear_facts":
		reason += ", not clearing facts and fact cache for " + host
	case "flush_handlers":
		reason += ", not running handlers for " + host
	case "clear_host_errors":
		reason += ", not clearing host error state for " + host
	}
	return reason
}

// metaSkipMsg is the msg of that result (end_host's names the host).
func metaSkipMsg(action, host string) string {
	if action == "end_host" {
		return "end_host conditional evaluated to false, continuing execution for " + host
	}
	return action
}

// resetConnection closes the host's open connections so the next task
// reconnects; the local connection has nothing to reset.
func (r *runner) resetConnection(pc *playCtx, n *node, hs *hostState) error {
	kw, err := r.keywords(pc, n, r.scope(pc, hs, n))
	if err != nil {
		return fatalf("%s", taskErrorMsg(n.task.Pos, err))
	}
	if kw.conn == "local" {
		r.warnOnce("Reset is not implemented for this connection")
		return nil
	}
	for _, w := range r.conns.reset(r.ctx, hs.name) {
		r.warn(w)
	}
	return nil
}

func containsStart(c *compiled, pattern string) bool {
	var walk func(ns []*node) bool
	walk = func(ns []*node) bool {
		for _, n := range ns {
			if n.task.IsBlock() {
				if walk(n.block) || walk(n.rescue) || walk(n.always) {
					return true
				}
				continue
			}
			if startAtMatches(n, pattern) {
				return true
			}
		}
		return false
	}
	return walk(c.pre) || walk(c.main) || walk(c.post)
}
