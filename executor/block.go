package executor

import "path"

// runNodes runs tasks and blocks in order on the hosts, each task on the
// hosts still running. rescuable says a failure here leads into a rescue
// section (it counts as "rescued", not "failed").
func (r *runner) runNodes(pc *playCtx, bs *batchState, nodes []*node, hosts []*hostState, rescuable bool) error {
	for _, n := range nodes {
		if err := r.ctx.Err(); err != nil {
			return ErrInterrupted
		}
		live := liveHosts(hosts)
		if len(live) == 0 {
			return nil
		}
		var err error
		switch {
		case n.task.IsBlock():
			err = r.runBlock(pc, bs, n, live, rescuable)
		case isDynamicInclude(n.task.Module):
			err = r.runInclude(pc, bs, n, live, rescuable)
		default:
			err = r.runTask(pc, bs, n, live, rescuable)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func liveHosts(hosts []*hostState) []*hostState {
	var out []*hostState
	for _, hs := range hosts {
		if !hs.failed && !hs.unreachable && !hs.ended {
			out = append(out, hs)
		}
	}
	return out
}

// runBlock runs block, then rescue on the hosts that failed in it, then
// always on every host that entered (failed ones stay failed afterwards).
func (r *runner) runBlock(pc *playCtx, bs *batchState, n *node, hosts []*hostState, rescuable bool) error {
	if err := r.runNodes(pc, bs, n.block, hosts, rescuable || len(n.rescue) > 0); err != nil {
		return err
	}
	if len(n.rescue) > 0 {
		var failed []*hostState
		for _, hs := range hosts {
			if hs.failed && !hs.unreachable {
				hs.failed = false
				failed = append(failed, hs)
			}
		}
		if len(failed) > 0 {
			if err := r.runNodes(pc, bs, n.rescue, failed, rescuable); err != nil {
				return err
			}
		}
	}
	if len(n.always) > 0 {
		var failedBefore []*hostState
		var entered []*hostState
		for _, hs := range hosts {
			if hs.unreachable {
				continue
			}
			if hs.failed {
				failedBefore = append(failedBefore, hs)
				hs.failed = false
			}
			entered = append(entered, hs)
		}
		err := r.runNodes(pc, bs, n.always, entered, rescuable)
		for _, hs := range failedBefore {
			hs.failed = true
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// startAtMatches is --start-at-task's test: the name or the role-prefixed
// name, equal or as a glob.
func startAtMatches(n *node, pattern string) bool {
	for _, name := range []string{n.task.Name, n.name()} {
		if name == "" {
			continue
		}
		if name == pattern {
			return true
		}
		if ok, _ := path.Match(pattern, name); ok {
			return true
		}
	}
	return false
}
