package executor

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gossible/gossible/template"
)

// runOnHost runs the task on one host: loop items, conditions, the
// module, then changed_when/failed_when. emit reports each loop item.
func (r *runner) runOnHost(pc *playCtx, n *node, hs *hostState, emit func(*HostResult, any)) *hostOutcome {
	sc := r.scope(pc, hs, n)
	out := &hostOutcome{hs: hs}
	kw, err := r.keywords(pc, n, sc)
	if err != nil {
		out.result = failedResult(taskErrorMsg(n.task.Pos, err))
		out.status = StatusFailed
		return out
	}
	if n.task.DelegateTo != "" {
		if err := r.delegate(pc, n, sc, kw); err != nil {
			out.result = failedResult(taskErrorMsg(n.task.Pos, err))
			out.status = StatusFailed
			return out
		}
		out.delegate = kw.delegate
	}
	out.noLog = kw.noLog
	out.diff = kw.diff
	out.ignored = false
	items, isLoop, err := r.loopItems(pc, n, sc, func(msg string) { emit(nil, deprecationMark{msg: msg}) })
	if err != nil {
		out.result = loopFailure(n.task.Pos, err)
		out.status = StatusFailed
		out.ignored = kw.ignoreErrors
		return out
	}
	if !isLoop {
		res := r.runOnce(pc, n, hs, sc, kw, out, emit)
		if kw.delegate != "" && statusOf(res) != StatusSkipped {
			// Ansible keeps these for callbacks of a delegated (non-loop) result.
			dv := map[string]any{"ansible_host": kw.cfg.Host, "ansible_port": nil, "ansible_user": nil}
			if kw.cfg.Port != 0 {
				dv["ansible_port"] = kw.cfg.Port
			}
			if kw.cfg.User != "" {
				dv["ansible_user"] = kw.cfg.User
			}
			if kw.delegateConnVar {
				dv["ansible_connection"] = kw.conn
			}
			res["_ansible_delegated_vars"] = dv
		}
		out.result = res
		out.status = statusOf(res)
		out.ignored = kw.ignores(out.status)
		out.notify = out.status == StatusChanged
		return out
	}
	if len(items) == 0 {
		out.result = map[string]any{"changed": false, "skipped": true, "skipped_reason": "No items in the list", "results": []any{}}
		out.status = StatusSkipped
		out.loop = true // a loop result: no _ansible_no_log of its own
		return out
	}
	loopVar, indexVar, label := "item", "", any(nil)
	lc := n.task.LoopControl
	if v, ok := lc["loop_var"].(string); ok && v != "" {
		loopVar = v
	}
	if v, ok := lc["index_var"].(string); ok {
		indexVar = v
	}
	label = lc["label"]
	results := make([]any, 0, len(items))
	// Facts an item sets are seen by the items after it, as in Ansible's
	// loop; the host's own maps are only written after the task.
	loopFacts := map[string]any{}
	sc = sc.Child(loopFacts)
	agg := map[string]any{"skipped": true}
	var warnings []any
	unreachable := false // some item was
	for i, item := range items {
		if r.ctx.Err() != nil {
			break
		}
		layer := map[string]any{loopVar: item, "ansible_loop_var": loopVar}
		if indexVar != "" {
			layer[indexVar] = i
		}
		if ext, _ := lc["extended"].(bool); ext {
			layer["ansible_loop"] = loopInfo(items, i)
		}
		isc := sc.Child(layer)
		res := r.runOnce(pc, n, hs, isc, kw, out, emit)
		res[loopVar] = item
		res["ansible_loop_var"] = loopVar
		if indexVar != "" {
			res[indexVar] = i
			res["ansible_index_var"] = indexVar
		}
		if info, ok := layer["ansible_loop"]; ok {
			res["ansible_loop"] = info // Ansible's item result carries it too
		}
		res["_ansible_item_label"] = item
		if label != nil {
			if l, err := r.engine.Render(label, isc); err == nil {
				res["_ansible_item_label"] = l
			}
		}
		if statusOf(res) != StatusUnreachable {
			// Ansible's task executor adds it after running the module,
			// which it never reaches for an unreachable host.
			res["_ansible_no_log"] = kw.noLog
		}
		if f, ok := res["ansible_facts"].(map[string]any); ok {
			for k, v := range f {
				loopFacts[k] = v
			}
		}
		if w, ok := res["warnings"].([]any); ok {
			warnings = append(warnings, w...)
			delete(res, "warnings")
		}
		st := statusOf(res)
		if c, _ := res["changed"].(bool); c {
			agg["changed"] = true
		}
		if st != StatusSkipped {
			agg["skipped"] = false
		}
		if st == StatusFailed {
			if _, already := agg["failed"]; !already {
				agg["failed"] = true
				agg["msg"] = "One or more items failed"
			}
		}
		if st == StatusUnreachable {
			// Ansible's item result has no changed key of its own, and the
			// loop goes on with the next item.
			delete(res, "changed")
			unreachable = true
		}
		results = append(results, res)
		emit(&HostResult{Host: hs.name, Delegate: kw.delegate, Status: st, Result: censor(res, kw.noLog, false), NoLog: kw.noLog, Diff: kw.diff}, item)
	}
	agg["results"] = results
	out.loop = true
	if _, failed := agg["failed"]; !failed {
		agg["msg"] = "All items completed"
	}
	if s, _ := agg["skipped"].(bool); s {
		agg["msg"] = "All items skipped"
	}
	if _, ok := agg["changed"]; !ok {
		agg["changed"] = false
	}
	if len(warnings) > 0 {
		agg["warnings"] = warnings
	}
	out.result = agg
	out.status = statusOf(agg)
	if unreachable && out.status != StatusFailed {
		// The aggregate has no unreachable key; Ansible finds it in the
		// items, after checking them for failures.
		out.status = StatusUnreachable
	}
	if out.status == StatusChanged {
		out.notify = true
	}
	out.ignored = kw.ignores(out.status)
	return out
}

// runOnce evaluates the conditions and runs the module once (for one
// item), retrying while `until` is false.
func (r *runner) runOnce(pc *playCtx, n *node, hs *hostState, sc *template.Scope, kw *taskKeywords, out *hostOutcome, emit func(*HostResult, any)) map[string]any {
	for _, c := range n.when {
		ok, err := r.engine.Cond(c, sc)
		if err != nil {
			return failedResult(taskErrorMsg(n.task.Pos, err))
		}
		if !ok {
			return map[string]any{"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}
		}
	}
	if n.task.Until == nil {
		res, _ := r.attempt(pc, n, hs, sc, kw, out)
		return res
	}
	retries, delay, err := r.retrySettings(n, sc)
	if err != nil {
		return failedResult(taskErrorMsg(n.task.Pos, err))
	}
	var res map[string]any
	for attempt := 1; attempt <= retries; attempt++ {
		var ran bool
		res, ran = r.attempt(pc, n, hs, sc, kw, out)
		if !ran || statusOf(res) == StatusUnreachable {
			return res
		}
		res["attempts"] = attempt
		usc := sc
		if reg := n.task.Register; reg != "" {
			usc = sc.Child(map[string]any{reg: registerValue(n, res)})
		}
		ok, err := r.engine.Cond(n.task.Until, usc)
		if err != nil {
			return failedResult(taskErrorMsg(n.task.Pos, err))
		}
		if ok {
			return res
		}
		if attempt < retries {
			res["retries"] = retries
			emit(&HostResult{Host: hs.name, Status: statusOf(res), Result: censor(res, kw.noLog, false), NoLog: kw.noLog},
				retryMark{left: retries - attempt})
			select {
			case <-r.ctx.Done():
				return res
			case <-time.After(delay):
			}
		}
	}
	if retries > 1 {
		res["attempts"] = retries - 1
	}
	res["failed"] = true
	return res
}

// deprecationMark is passed as the item of an emitted deprecation event.
type deprecationMark struct{ msg string }

// retryMark is passed as the item of an emitted retry event.
type retryMark struct{ left int }

// retrySettings is Ansible's until handling: retries (default 3) plus the
// first attempt, delay in seconds (default 5).
func (r *runner) retrySettings(n *node, sc *template.Scope) (int, time.Duration, error) {
	num := func(v any, def int) (int, error) {
		if v == nil {
			return def, nil
		}
		rv, err := r.engine.Render(v, sc)
		if err != nil {
			return 0, err
		}
		i, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(rv)))
		if err != nil {
			return 0, fmt.Errorf("the value %v is not a valid integer", rv)
		}
		return i, nil
	}
	retries, err := num(n.task.Retries, 3)
	if err != nil {
		return 0, 0, err
	}
	if retries <= 0 {
		retries = 1
	} else {
		retries++
	}
	delay, err := num(n.task.Delay, 5)
	if err != nil {
		return 0, 0, err
	}
	return retries, time.Duration(delay) * time.Second, nil
}

// attempt runs the module once and applies the result conventions and
// changed_when/failed_when. ran is false when the module never ran.
func (r *runner) attempt(pc *playCtx, n *node, hs *hostState, sc *template.Scope, kw *taskKeywords, out *hostOutcome) (map[string]any, bool) {
	res, ran := r.execModule(pc, n, hs, sc, kw, out)
	if b, _ := res["unreachable"].(bool); b || !ran {
		return res, ran
	}
	if _, ok := res["failed"]; !ok {
		failed := false
		if rc, ok := res["rc"]; ok && fmt.Sprint(rc) != "0" {
			failed = true
		}
		res["failed"] = failed
	}
	if _, ok := res["changed"]; !ok {
		res["changed"] = false
	}
	if b, _ := res["skipped"].(bool); b {
		return res, true
	}
	csc := sc
	if reg := n.task.Register; reg != "" {
		csc = sc.Child(map[string]any{reg: registerValue(n, res)})
	}
	if len(n.task.ChangedWhen) > 0 {
		ok, err := r.allTrue(n.task.ChangedWhen, csc)
		if err != nil {
			return failedResult(taskErrorMsg(n.task.Pos, err)), false
		}
		res["changed"] = ok
		if reg := n.task.Register; reg != "" {
			csc = sc.Child(map[string]any{reg: registerValue(n, res)})
		}
	}
	if len(n.task.FailedWhen) > 0 {
		ok, err := r.allTrue(n.task.FailedWhen, csc)
		if err != nil {
			return failedResult(taskErrorMsg(n.task.Pos, err)), false
		}
		res["failed_when_result"] = ok
		res["failed"] = ok
	}
	return res, true
}

func (r *runner) allTrue(conds []any, sc *template.Scope) (bool, error) {
	for _, c := range conds {
		ok, err := r.engine.Cond(c, sc)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// loopInfo is loop_control.extended's ansible_loop variable.
func loopInfo(items []any, i int) map[string]any {
	n := len(items)
	m := map[string]any{
		"allitems":  items,
		"index":     i + 1,
		"index0":    i,
		"revindex":  n - i,
		"revindex0": n - i - 1,
		"first":     i == 0,
		"last":      i == n-1,
		"length":    n,
	}
	if i > 0 {
		m["previtem"] = items[i-1]
	}
	if i < n-1 {
		m["nextitem"] = items[i+1]
	}
	return m
}
