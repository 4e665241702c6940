package executor

import (
	"github.com/gossible/gossible/playbook"
)

// freeStrategy is Ansible's free strategy: each host of the batch runs
// through the play at its own pace, up to Forks tasks at once, never
// waiting for the others between tasks. host_pinned is the same, except
// that no more than Forks hosts are in the play at once.
//
// The main goroutine visits the hosts round-robin from where it stopped,
// as Ansible's loop does, starting each idle host's next task while a
// fork is free; with one fork the run is deterministic (one task of each
// host in turn). A host's results are shown together, after its task
// banner; the results of hosts that finish meanwhile wait their turn.
type freeStrategy struct {
	r      *runner
	pinned bool
}

const (
	freeRunOnceWarning = "Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list."
	freeFatalWarning   = "Using any_errors_fatal with the free strategy is not supported, as tasks are executed independently on each host"
	freeMaxFailWarning = "Using max_fail_percentage with the free strategy is not supported, as tasks are executed independently on each host"
)

func (s *freeStrategy) runBatch(pc *playCtx, bs *batchState) error {
	r := s.r
	if pc.play.MaxFailPercentage != nil {
		r.warnOnce(freeMaxFailWarning)
	}
	f := &freeRun{r: r, pc: pc, bs: bs, pinned: s.pinned,
		cursors: map[*hostState]*cursor{}, busy: map[*hostState]*hostTask{},
		done: map[*hostState]bool{}, started: map[*hostState]bool{},
		perTask: map[*playbook.Task]int{}, ch: make(chan event), stale: true}
	f.hosts = bs.active()
	gather := r.gatherNode(pc)
	sections := [][]*node{pc.c.pre, pc.c.main, pc.c.post}
	for _, hs := range f.hosts {
		f.cursors[hs] = newCursor(hs, gather, sections, r.opts.ForceHandlers)
	}
	return f.run()
}

// freeRun is one batch under the free strategy. Its fields belong to the
// main goroutine.
type freeRun struct {
	r      *runner
	pc     *playCtx
	bs     *batchState
	pinned bool

	hosts   []*hostState
	cursors map[*hostState]*cursor
	busy    map[*hostState]*hostTask // the step each host is on
	done    map[*hostState]bool      // no more tasks in this batch
	started map[*hostState]bool      // host_pinned: hosts that began the play
	running int                      // workers running a task
	perTask map[*playbook.Task]int   // workers running each task (throttle)
	last    int                      // the host to visit first
	ch      chan event
	// stale: a host's state changed since the play's dynamic variables
	// (ansible_play_hosts & co) were last worked out.
	stale bool

	// Output: cur's events are shown as they come, the others' wait in
	// queue (in the order their first event came).
	cur   *hostTask
	queue []*hostTask
}

// hostTask is one host's step: a task run by a worker, or a meta or
// include step run by the main goroutine (inline) when its turn to be
// shown comes.
type hostTask struct {
	hs       *hostState
	st       step
	name     string
	inline   func() error
	events   []event
	finished bool
	queued   bool
}

// run dispatches and collects until every host is done. It takes the
// state lock only to write variables workers read (see state.go).
func (f *freeRun) run() error {
	r := f.r
	for {
		err := f.dispatch()
		if err != nil {
			f.drain()
			return err
		}
		if f.running == 0 {
			return nil
		}
		ev := <-f.ch
		err = f.receive(ev)
		if err == nil && r.ctx.Err() != nil {
			err = ErrInterrupted
		}
		if err != nil {
			f.drain()
			return err
		}
	}
}

// drain waits for the running workers, dropping their results.
func (f *freeRun) drain() {
	for f.running > 0 {
		if ev := <-f.ch; ev.out != nil {
			f.running--
		}
	}
}

// dispatch visits the hosts round-robin, giving each idle one its next
// step while a fork is free, until no host can move.
func (f *freeRun) dispatch() error {
	for {
		if f.r.ctx.Err() != nil {
			return ErrInterrupted
		}
		moved := false
		for range f.hosts {
			if f.running >= f.r.opts.Forks {
				return nil
			}
			hs := f.hosts[f.last]
			f.last = (f.last + 1) % len(f.hosts)
			ok, err := f.visit(hs)
			if err != nil {
				return err
			}
			moved = moved || ok
		}
		if !moved {
			return nil
		}
	}
}

// visit starts the host's next step; false means it could not move.
func (f *freeRun) visit(hs *hostState) (bool, error) {
	r, pc := f.r, f.pc
	if f.done[hs] || f.busy[hs] != nil {
		return false, nil
	}
	if f.pinned && !f.started[hs] && f.inPlay() >= r.opts.Forks {
		return false, nil
	}
	cur := f.cursors[hs]
	for {
		failed := hs.failed
		st, ok := cur.next(pc.handlers)
		if hs.failed != failed {
			f.stale = true // entering a rescue or leaving an always part
		}
		if !ok {
			f.done[hs] = true
			return true, nil
		}
		n := st.n
		if _, err := r.varsFileCheck(pc, n, []*hostState{hs}); err != nil {
			return false, err
		}
		switch {
		case isDynamicInclude(n.task.Module):
			if r.includeFilteredOut(n) {
				continue
			}
			f.started[hs] = true
			f.hostStart(hs, n, r.includeName(pc, n, hs))
			return true, f.inline(hs, st, func() error { return f.include(hs, st) })
		case r.filteredOut(n):
			continue
		case isMeta(n.task.Module):
			f.started[hs] = true
			return true, f.inline(hs, st, func() error { return f.meta(hs, st) })
		case bypassHostLoop(n):
			return false, freeBypassError(n)
		}
		f.setDynamic()
		limit, err := r.throttle(pc, n, hs)
		if err != nil {
			return false, err
		}
		if f.perTask[n.task] >= limit {
			cur.hold(st)
			return false, nil
		}
		f.started[hs] = true
		f.start(hs, st)
		return true, nil
	}
}

// inPlay counts the hosts that began the play and are not done with it.
func (f *freeRun) inPlay() int {
	n := 0
	for hs := range f.started {
		if !f.done[hs] {
			n++
		}
	}
	return n
}

// start runs the task on the host in a worker.
func (f *freeRun) start(hs *hostState, st step) {
	r, pc, n := f.r, f.pc, st.n
	if n.task.RunOnce != nil && *n.task.RunOnce {
		r.warnOnce(freeRunOnceWarning)
	}
	if anyErrorsFatal(pc, n) && !n.gather {
		r.warnOnce(freeFatalWarning)
	}
	ht := &hostTask{hs: hs, st: st, name: r.displayName(pc, n, hs)}
	f.hostStart(hs, n, ht.name)
	f.busy[hs] = ht
	f.running++
	f.perTask[n.task]++
	go r.execOnHost(pc, n, hs, f.ch)
}

// hostStart tells the callback the host starts the task.
func (f *freeRun) hostStart(hs *hostState, n *node, name string) {
	if c, ok := f.r.cb.(HostTaskCallback); ok {
		c.HostTaskStart(n.task, name, n.handler, hs.name)
	}
}

// setDynamic brings the play's dynamic variables up to date with the
// hosts' state, when it changed.
func (f *freeRun) setDynamic() {
	if f.stale {
		f.stale = false
		f.r.writeState(func() { f.pc.setDynamic(f.bs) })
	}
}

// inline queues a step the main goroutine runs when its turn to be shown
// comes; the host waits for it. Meta and include steps may change any
// host's state.
func (f *freeRun) inline(hs *hostState, st step, run func() error) error {
	ht := &hostTask{hs: hs, st: st, finished: true, inline: func() error {
		defer func() { f.stale = true }()
		return run()
	}}
	f.busy[hs] = ht
	f.enqueue(ht)
	return f.show()
}

// receive takes a worker's event.
func (f *freeRun) receive(ev event) error {
	ht := f.busy[ev.hs]
	ht.events = append(ht.events, ev)
	if ev.out != nil {
		ht.finished = true
		f.running--
		f.perTask[ht.st.n.task]--
	}
	f.enqueue(ht)
	return f.show()
}

func (f *freeRun) enqueue(ht *hostTask) {
	if ht != f.cur && !ht.queued {
		ht.queued = true
		f.queue = append(f.queue, ht)
	}
}

// show reports what can be shown: the current host task's events, then
// the queued ones' in turn, each after its banner.
func (f *freeRun) show() error {
	r, pc := f.r, f.pc
	for {
		if f.cur == nil {
			if len(f.queue) == 0 {
				return nil
			}
			f.cur = f.queue[0]
			f.queue = f.queue[1:]
			if f.cur.inline == nil {
				n := f.cur.st.n
				r.cb.TaskStart(n.task, f.cur.name, n.handler)
			}
		}
		ht := f.cur
		if run := ht.inline; run != nil {
			ht.inline = nil
			if err := run(); err != nil {
				return err
			}
		}
		for _, ev := range ht.events {
			if ev.out == nil {
				if r.ctx.Err() == nil {
					r.showEvent(pc, ht.st.n, ev)
				}
				continue
			}
			if err := f.finish(ht, ev.out); err != nil {
				return err
			}
		}
		ht.events = nil
		if !ht.finished {
			return nil
		}
		f.cur = nil
		delete(f.busy, ht.hs)
	}
}

// finish accounts, shows and applies a host's outcome of a task. A
// run_once result applies to every host of the batch, as Ansible's
// results do even under free (where each host runs the task).
func (f *freeRun) finish(ht *hostTask, out *hostOutcome) error {
	r, n := f.r, ht.st.n
	if r.ctx.Err() != nil {
		return nil
	}
	if err := f.pc.notifiable(out, n.task.Notify); err != nil {
		return err
	}
	if err := r.inventoryResult(f.pc, n, out); err != nil {
		return err
	}
	r.account(out, ht.st.rescuable)
	f.stale = true
	r.cb.HostResult(r.displayResult(out))
	if err := f.apply(n, out); err != nil {
		return err
	}
	if n.task.RunOnce == nil || !*n.task.RunOnce {
		return nil
	}
	failed := out.status == StatusFailed && !out.ignored
	for _, other := range f.bs.batch {
		if other == out.hs || other.unreachable {
			continue
		}
		copied := *out
		copied.hs, copied.notify, copied.rescued = other, false, false
		if err := f.apply(n, &copied); err != nil {
			return err
		}
		if failed {
			other.failed = true
		}
	}
	return nil
}

// apply applies an outcome while other hosts' workers may read variables.
func (f *freeRun) apply(n *node, out *hostOutcome) error {
	var err error
	f.r.writeState(func() { err = f.r.apply(f.pc, n, out) })
	return err
}

// include evaluates an include on the host and makes it run the included
// tasks next.
func (f *freeRun) include(hs *hostState, st step) error {
	r, pc, n := f.r, f.pc, st.n
	f.setDynamic()
	r.cb.TaskStart(n.task, r.includeName(pc, n, hs), n.handler)
	out, incs := r.includeHost(pc, n, hs, st.rescuable)
	outs := map[*hostState]*hostOutcome{hs: out}
	lists := make([][]*node, 0, len(incs))
	for _, inc := range incs {
		inc.hosts = []*hostState{hs}
		lists = append(lists, r.loadIncluded(pc, n, inc, outs))
	}
	f.cursors[hs].include(lists, st.rescuable)
	return nil
}

// meta runs a meta task for the host alone, as Ansible's free strategy
// does: no banner unless its condition is false; end_play and end_batch
// still end the whole batch.
func (f *freeRun) meta(hs *hostState, st step) error {
	r, pc, n := f.r, f.pc, st.n
	action, err := metaAction(n)
	if err != nil {
		return err
	}
	switch action {
	case "noop", "refresh_inventory":
		return nil
	}
	f.setDynamic()
	ok, err := r.allTrue(n.when, r.scope(pc, hs, n))
	if err != nil {
		return fatalf("%s", taskErrorMsg(n.task.Pos, err))
	}
	if !ok {
		r.cb.TaskStart(n.task, r.displayName(pc, n, hs), n.handler)
		r.metaSkipped(hs, action)
		return nil
	}
	if action == "flush_handlers" {
		f.cursors[hs].flushHandlers()
		return nil
	}
	return r.metaEffect(pc, f.bs, n, action, []*hostState{hs})
}
