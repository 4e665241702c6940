package executor

import (
	"strings"

	"github.com/gossible/gossible/playbook"
)

// MetaActions are the `meta:` actions gossible runs; others are refused.
var MetaActions = []string{"flush_handlers", "noop", "end_play", "end_host", "clear_host_errors"}

func isMeta(module string) bool {
	return module == "meta" || module == "ansible.builtin.meta"
}

// runMeta runs a meta task: they act on the play, not on hosts, and show
// no banner (as Ansible's default callback, for these actions).
func (r *runner) runMeta(pc *playCtx, bs *batchState, n *node, hosts []*hostState) error {
	action := ""
	if v, ok := n.task.Args["_raw_params"].(string); ok {
		action = strings.TrimSpace(v)
	}
	switch action {
	case "flush_handlers":
		return r.flushHandlers(pc, bs)
	case "noop":
		return nil
	case "end_play":
		for _, hs := range bs.batch {
			if !hs.failed && !hs.unreachable {
				hs.ended = true
			}
		}
		return nil
	case "end_host":
		for _, hs := range hosts {
			hs.ended = true
		}
		return nil
	case "clear_host_errors":
		for _, hs := range bs.batch {
			hs.failed = false
		}
		return nil
	}
	return fatalf("meta action '%s' is not supported by gossible (supported: %s)", action, strings.Join(MetaActions, ", "))
}

// gatherFacts runs the implicit "Gathering Facts" task (setup) on the batch.
func (r *runner) gatherFacts(pc *playCtx, bs *batchState) error {
	hosts := bs.active()
	if len(hosts) == 0 {
		return nil
	}
	t := &playbook.Task{Pos: pc.play.Pos, Name: "Gathering Facts", Module: "gather_facts", Args: map[string]any{}}
	n := &node{task: t, gather: true, tags: append([]string{"always"}, pc.play.Tags...)}
	if !shouldRun(n.tags, orAll(r.opts.Tags), r.opts.SkipTags) {
		return nil
	}
	// With --start-at-task, Ansible gathers facts only in the play that
	// holds the task (and in the plays after it).
	if !r.startAtDone && !containsStart(pc.c, r.opts.StartAtTask) {
		return nil
	}
	return r.runTask(pc, bs, n, hosts, false)
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
