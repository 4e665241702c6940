package executor

import (
	"fmt"
	"sync"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/template"
)

// censoredMsg is Ansible's replacement text for a no_log result.
const censoredMsg = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

// hostOutcome is one host's result for one task, applied to the run's
// state by the main goroutine once every host is done.
type hostOutcome struct {
	hs       *hostState
	status   Status
	result   map[string]any // the real result (registered)
	ignored  bool
	noLog    bool
	diff     bool             // diff mode: callbacks show the result's diff
	facts    map[string]any   // gathered facts (setup and other modules)
	setFacts []map[string]any // set_fact values, in item order
	incVars  map[string]any   // include_vars values
	notify   bool             // changed: notify the task's handlers
	loop     bool             // result aggregates loop items
	delegate string           // delegate_to host, if any
	rescued  bool             // the failure leads into a rescue section
	taskName string           // for ansible_failed_task
	action   string
}

type event struct {
	hs   *hostState
	item any
	hr   *HostResult
	out  *hostOutcome // set on the host's final event
}

// runTask runs one task on the hosts (Forks at a time), reports results
// in completion order and then applies them.
func (r *runner) runTask(pc *playCtx, bs *batchState, n *node, hosts []*hostState, rescuable bool) error {
	if r.filteredOut(n) {
		return nil
	}
	if isMeta(n.task.Module) {
		return r.runMeta(pc, bs, n, hosts)
	}
	all := hosts
	runOnce := n.task.RunOnce != nil && *n.task.RunOnce
	if runOnce || bypassHostLoop(n) {
		hosts = hosts[:1]
	}
	bad, varsErr := r.varsFileCheck(pc, n, hosts)
	if bad == 0 {
		return varsErr
	}
	pc.setDynamic(bs)
	r.cb.TaskStart(n.task, r.displayName(pc, n, hosts[0]), n.handler)
	if varsErr != nil {
		return varsErr
	}

	workers, err := r.throttle(pc, n, hosts[0])
	if err != nil {
		return err
	}
	ch := make(chan event)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, hs := range hosts {
		wg.Add(1)
		go func(hs *hostState) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r.execOnHost(pc, n, hs, ch)
		}(hs)
	}
	go func() { wg.Wait(); close(ch) }()

	// Results are shown in host order (as Ansible's are for quick tasks):
	// a host's events wait until every host before it is done.
	outs := map[*hostState]*hostOutcome{}
	pending := map[*hostState][]event{}
	next := 0
	var stop error // an unknown handler: nothing more is shown
	show := func(ev event) {
		if r.ctx.Err() != nil || stop != nil {
			// Interrupted: Ansible shows no results of the cut-short task.
			return
		}
		if ev.out == nil {
			r.showEvent(pc, n, ev)
			return
		}
		if stop = pc.notifiable(ev.out, n.task.Notify); stop != nil {
			return
		}
		if stop = r.inventoryResult(pc, n, ev.out); stop != nil {
			return
		}
		outs[ev.hs] = ev.out
		r.account(ev.out, rescuable)
		r.cb.HostResult(r.displayResult(ev.out))
	}
	for ev := range ch {
		if next >= len(hosts) || ev.hs != hosts[next] {
			pending[ev.hs] = append(pending[ev.hs], ev)
			continue
		}
		show(ev)
		for ev.out != nil {
			next++
			if next >= len(hosts) {
				break
			}
			queued := pending[hosts[next]]
			delete(pending, hosts[next])
			ev = event{}
			for _, q := range queued {
				show(q)
				ev = q
			}
		}
	}
	if r.ctx.Err() != nil {
		return ErrInterrupted
	}
	if stop != nil {
		return stop
	}
	if !n.handler {
		r.breakChecks(pc, bs, n, outs, rescuable)
	}
	// Apply in host order so set_fact/register are deterministic.
	for _, hs := range hosts {
		out := outs[hs]
		if out == nil {
			continue
		}
		if err := r.apply(pc, n, out); err != nil {
			return err
		}
		if runOnce {
			// run_once results (facts, register) apply to every host.
			for _, other := range all[1:] {
				if other.unreachable {
					continue
				}
				copied := *out
				copied.hs = other
				copied.notify = false
				if err := r.apply(pc, n, &copied); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// filteredOut says the task does not run at all: its tags exclude it, or
// --start-at-task has not reached it yet (reaching it is recorded).
func (r *runner) filteredOut(n *node) bool {
	if n.handler || n.gather {
		return false
	}
	return r.includeFilteredOut(n)
}

// execOnHost runs the task on one host in a worker goroutine, sending its
// item events and then its outcome on ch. It holds no lock: the scopes it
// reads take the state lock per read (see state.go).
func (r *runner) execOnHost(pc *playCtx, n *node, hs *hostState, ch chan<- event) {
	var out *hostOutcome
	func() {
		// A bug in a module must fail the task, not kill the run.
		defer func() {
			if p := recover(); p != nil {
				out = &hostOutcome{hs: hs, status: StatusFailed,
					result: failedResult(fmt.Sprintf("gossible internal error in %s: %v", n.task.Module, p))}
			}
		}()
		out = r.runOnHost(pc, n, hs, func(hr *HostResult, item any) {
			ch <- event{hs: hs, item: item, hr: hr}
		})
	}()
	out.taskName, out.action = n.task.Name, n.task.Module
	ch <- event{hs: hs, out: out}
}

// showEvent reports a worker's event other than its outcome: a
// deprecation, a failed attempt of an until loop, or a loop item.
func (r *runner) showEvent(pc *playCtx, n *node, ev event) {
	if dm, ok := ev.item.(deprecationMark); ok {
		r.deprecated(dm.msg)
		return
	}
	if rm, ok := ev.item.(retryMark); ok {
		if rc, ok := r.cb.(RetryCallback); ok {
			rc.Retry(ev.hr, r.displayName(pc, n, ev.hs), rm.left)
		}
		return
	}
	r.inventoryItem(pc, n, ev)
	r.cb.ItemResult(ev.hr, ev.item)
}

// displayName templates the task name with the first host's variables,
// keeping the raw name when that fails (as Ansible does).
func (r *runner) displayName(pc *playCtx, n *node, hs *hostState) string {
	if n.gather {
		return "Gathering Facts"
	}
	name := r.ownName(pc, n, hs)
	if n.role != nil {
		return n.role.role.Name + " : " + name
	}
	return name
}

// ownName is the task's templated name, else its action.
func (r *runner) ownName(pc *playCtx, n *node, hs *hostState) string {
	name := n.task.Name
	if name != "" && template.IsTemplate(name) {
		if s, err := r.engine.RenderString(name, r.scope(pc, hs, n)); err == nil {
			name = s
		}
	}
	if name == "" {
		name = n.task.Module
	}
	return name
}

// account updates the RECAP counters and the host's failed state.
func (r *runner) account(out *hostOutcome, rescuable bool) {
	st := r.stat(out.hs.name)
	changed, _ := out.result["changed"].(bool)
	switch out.status {
	case StatusUnreachable:
		if out.ignored {
			// ignore_unreachable: Ansible counts ok and ignored (never
			// changed) and keeps the host in the play.
			st.OK++
			st.Ignored++
			return
		}
		st.Unreachable++
		out.hs.unreachable = true
		r.unreachAny = true
	case StatusSkipped:
		st.Skipped++
	case StatusFailed:
		if out.ignored {
			st.OK++
			st.Ignored++
			if changed {
				st.Changed++
			}
			return
		}
		if rescuable {
			st.Rescued++
			out.rescued = true
		} else {
			st.Failed++
		}
		out.hs.failed = true
	default:
		st.OK++
		if changed {
			st.Changed++
		}
	}
}

// displayResult is the copy of the result the callbacks see: censored under
// no_log, with the internal keys Ansible's callbacks receive.
func (r *runner) displayResult(out *hostOutcome) *HostResult {
	return &HostResult{
		Host:     out.hs.name,
		Delegate: out.delegate,
		Status:   out.status,
		Ignored:  out.ignored,
		Result:   censor(out.result, out.noLog, out.loop),
		NoLog:    out.noLog,
		Diff:     out.diff,
	}
}

// apply records facts, set_fact values and the registered result, and
// notifies handlers.
func (r *runner) apply(pc *playCtx, n *node, out *hostOutcome) error {
	hs := out.hs
	fh := r.factsHost(n, out)
	if out.facts != nil {
		fh.setFacts(out.facts)
	}
	r.applyIncludeVars(hs, out.incVars)
	for _, f := range out.setFacts {
		for k, v := range f {
			fh.nonpersistent[k] = v
			delete(fh.incKeys, k)
		}
	}
	if out.rescued {
		// What the rescue section may inspect.
		hs.nonpersistent["ansible_failed_result"] = registerValue(n, out.result)
		hs.nonpersistent["ansible_failed_task"] = map[string]any{"name": out.taskName, "action": out.action}
	}
	// Ansible registers every result, unreachable ones too (seen through
	// hostvars, or later tasks under ignore_unreachable).
	if reg := n.task.Register; reg != "" {
		hs.nonpersistent[reg] = registerValue(n, out.result)
		delete(hs.incKeys, reg)
	}
	if out.notify && len(n.task.Notify) > 0 {
		return pc.notify(hs, n.task.Notify)
	}
	return nil
}

// factsHost is the host a task's facts go to: the delegated host with
// delegate_facts (the nearest task or block setting it wins), else the
// host the task ran for.
func (r *runner) factsHost(n *node, out *hostOutcome) *hostState {
	if out.delegate == "" {
		return out.hs
	}
	for p := n; p != nil; p = p.parent {
		if p.task.DelegateFacts == nil {
			continue
		}
		if !*p.task.DelegateFacts {
			return out.hs
		}
		h, ok := r.inv.Host(out.delegate)
		if !ok {
			// Ansible keeps facts of a host outside the inventory under
			// its name, where no play can see them.
			h = &inventory.Host{Name: out.delegate}
		}
		return r.hostState(h)
	}
	return out.hs
}

// moduleInfo resolves the task's module (the loader already rejected
// unknown ones; this guards the run anyway).
func moduleInfo(n *node) (modules.Info, error) {
	name := n.task.Module
	if n.gather {
		name = "setup"
	}
	info, ok := modules.Lookup(name)
	if !ok {
		return info, fmt.Errorf("couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, or incorrect module path.", name)
	}
	return info, nil
}

// anyErrorsFatal is the task's any_errors_fatal: the nearest task or block
// setting it, else the play's.
func anyErrorsFatal(pc *playCtx, n *node) bool {
	for p := n; p != nil; p = p.parent {
		if v := p.task.AnyErrorsFatal; v != nil {
			return *v
		}
	}
	return pc.play.AnyErrorsFatal != nil && *pc.play.AnyErrorsFatal
}

// breakChecks ends the play for the whole batch after a task, as the
// linear strategy does: any_errors_fatal once a host failed it, or
// max_fail_percentage once too many hosts of the batch failed. The others
// are marked failed without a failure of their own in the RECAP.
func (r *runner) breakChecks(pc *playCtx, bs *batchState, n *node, outs map[*hostState]*hostOutcome, rescuable bool) {
	markAll := func() {
		for _, hs := range bs.batch {
			if !hs.unreachable {
				hs.failed = true
			}
		}
	}
	noHosts := func() {
		if x, ok := r.cb.(NoHostsCallback); ok {
			x.NoHostsRemaining()
		}
	}
	broken := false
	if anyErrorsFatal(pc, n) && !rescuable {
		for _, out := range outs {
			if (out.status == StatusFailed && !out.ignored) || out.status == StatusUnreachable {
				broken = true
			}
		}
		if broken {
			markAll()
		}
	}
	if pct := pc.play.MaxFailPercentage; pct != nil && len(outs) > 0 && len(bs.batch) > 0 {
		failed := 0
		for _, hs := range bs.batch {
			if hs.failed && !hs.unreachable {
				failed++
			}
		}
		if float64(failed)/float64(len(bs.batch)) > *pct/100 {
			markAll()
			noHosts()
			broken = true
		}
	}
	if broken {
		// Every host left has failed now: Ansible says so once more.
		noHosts()
	}
}
