package executor

// linearStrategy is Ansible's default: every host of the batch runs a task
// before any host starts the next one (runNodes walks the task tree with
// the hosts still running).
type linearStrategy struct{ r *runner }

func (s linearStrategy) runBatch(pc *playCtx, bs *batchState) error {
	r := s.r
	if n := r.gatherNode(pc); n != nil {
		if hosts := bs.active(); len(hosts) > 0 {
			if err := r.runTask(pc, bs, n, hosts, false); err != nil {
				return err
			}
		}
	}
	for _, section := range [][]*node{pc.c.pre, pc.c.main, pc.c.post} {
		if err := r.runNodes(pc, bs, section, bs.active(), false); err != nil {
			return err
		}
		if err := r.flushHandlers(pc, bs); err != nil {
			return err
		}
	}
	return nil
}
