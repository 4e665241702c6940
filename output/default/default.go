// Package defaultcb is the default stdout callback: ansible-core 2.14's
// "default" callback layout byte for byte (banners, per-host status lines,
// loop item lines, "=> {json}" at -v, the PLAY RECAP columns), colours only
// when the Display has them on.
package defaultcb

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
)

// Callback prints a run as Ansible's default callback does.
type Callback struct {
	d         *display.Display
	verbosity int

	task     *playbook.Task // the task whose results come
	taskName string
	handler  bool
	// lazy: under the free strategies, a task's banner is printed with its
	// first result, when the last banner printed was another task's (as
	// Ansible's callback compares task uuids); shown is that task.
	lazy  bool
	shown *playbook.Task
}

var (
	_ executor.Callback        = (*Callback)(nil)
	_ executor.ExtraCallback   = (*Callback)(nil)
	_ executor.VerboseCallback = (*Callback)(nil)
	_ executor.RetryCallback   = (*Callback)(nil)
)

// New returns a callback writing through d at the -v level verbosity.
func New(d *display.Display, verbosity int) *Callback {
	return &Callback{d: d, verbosity: verbosity}
}

// PlaybookStart prints the playbook banner at -vv and above.
func (c *Callback) PlaybookStart(pb *playbook.Playbook) {
	if c.verbosity > 1 {
		name := pb.Path
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		c.d.Banner("PLAYBOOK: "+name, "")
	}
}

// PlayStart prints "PLAY [name]".
func (c *Callback) PlayStart(play *playbook.Play, name string) {
	c.lazy = play != nil && (play.Strategy == "free" || play.Strategy == "host_pinned")
	name = strings.TrimSpace(name)
	if name == "" {
		c.d.Banner("PLAY", "")
		return
	}
	c.d.Banner("PLAY ["+name+"]", "")
}

// TaskStart prints "TASK [name]" or "RUNNING HANDLER [name]"; under the
// free strategies, with the task's first result.
func (c *Callback) TaskStart(task *playbook.Task, name string, handler bool) {
	c.task, c.taskName, c.handler = task, strings.TrimSpace(name), handler
	if !c.lazy {
		c.banner()
	}
}

// needBanner prints the current task's banner before a result, under the
// free strategies, unless it was the last printed.
func (c *Callback) needBanner() {
	if c.lazy && c.shown != c.task {
		c.banner()
	}
}

func (c *Callback) banner() {
	task := c.task
	c.shown = task
	prefix := "TASK"
	if c.handler {
		prefix = "RUNNING HANDLER"
	}
	c.d.Banner(prefix+" ["+c.taskName+"]", "")
	if c.verbosity >= 2 && task != nil && task.Pos.File != "" {
		c.d.Print(fmt.Sprintf("task path: %s:%d", task.Pos.File, task.Pos.Line), "", false)
	}
}

// NoHostsMatched prints the line for a play whose pattern matched no host.
func (c *Callback) NoHostsMatched() {
	c.d.Print("skipping: no hosts matched", display.Cyan, false)
}

// Deprecated prints a deprecation warning on stderr.
func (c *Callback) Deprecated(msg string) { c.d.Deprecated(msg) }

// Warning prints a warning on stderr.
func (c *Callback) Warning(msg string) { c.d.Warning(msg) }

// WorkerWarning shows a warning a host's task raised, each time.
func (c *Callback) WorkerWarning(msg string) { c.d.WarningEach(msg) }

// Verbose prints a message shown at -v level and above.
func (c *Callback) Verbose(level int, msg string) {
	if c.verbosity >= level {
		c.d.Print(msg, display.Blue, false)
	}
}

func (c *Callback) isLoop() bool {
	return c.task != nil && c.task.Loop != nil || c.task != nil && c.task.LoopBareVar != ""
}

func (c *Callback) isDebug() bool {
	if c.task == nil {
		return false
	}
	switch c.task.Module {
	case "debug", "ansible.builtin.debug", "ansible.legacy.debug":
		return true
	}
	return false
}

// ItemResult prints one loop item's line.
func (c *Callback) ItemResult(r *executor.HostResult, _ any) {
	c.needBanner()
	res := c.clean(r.Result)
	label := itemLabel(r)
	c.handleWarnings(res)
	switch r.Status {
	case executor.StatusFailed, executor.StatusUnreachable:
		c.handleException(r.Result, res)
		// Ansible reports an unreachable item as a failed one.
		c.d.Print(fmt.Sprintf("failed: [%s] (item=%s) => %s", c.hostLabel(r), label, c.dump(res)), display.Red, false)
	case executor.StatusSkipped:
		msg := fmt.Sprintf("skipping: [%s] => (item=%s) ", r.Host, label)
		if c.verbose(r.Result) {
			msg += " => " + c.dump(res)
		}
		c.d.Print(msg, display.Cyan, false)
	default:
		status, color := "ok", display.Green
		if changed(r.Result) {
			status, color = "changed", display.Yellow
		}
		msg := fmt.Sprintf("%s: [%s] => (item=%s)", status, c.hostLabel(r), label)
		if c.verbose(r.Result) {
			msg += " => " + c.dump(res)
		}
		c.d.Print(msg, color, false)
	}
}

// HostResult prints a host's line for the task.
func (c *Callback) HostResult(r *executor.HostResult) {
	c.needBanner()
	res := c.clean(r.Result)
	_, hasResults := r.Result["results"]
	loop := c.isLoop() && hasResults
	switch r.Status {
	case executor.StatusFailed:
		// as Ansible checks the cleaned result: debug's keeps only its msg, so a failed
		// debug loop gets a fatal line too
		_, hasResults = res["results"]
		if !(c.isLoop() && hasResults) {
			c.handleException(r.Result, res)
			c.handleWarnings(res)
			c.d.Print(fmt.Sprintf("fatal: [%s]: FAILED! => %s", c.hostLabel(r), c.dump(res)), display.Red, false)
		}
		if r.Ignored {
			c.d.Print("...ignoring", display.Cyan, false)
		}
	case executor.StatusUnreachable:
		c.d.Print(fmt.Sprintf("fatal: [%s]: UNREACHABLE! => %s", c.hostLabel(r), c.dump(res)), display.BrightRed, false)
		if r.Ignored {
			c.d.Print("...ignoring", display.Cyan, false)
		}
	case executor.StatusSkipped:
		if loop {
			delete(res, "results") // shown item by item (Ansible's _process_items)
		}
		msg := fmt.Sprintf("skipping: [%s]", r.Host)
		if c.verbose(r.Result) {
			msg += " => " + c.dump(res)
		}
		c.d.Print(msg, display.Cyan, false)
	default:
		if r.Diff {
			c.printDiffs(r.Result, loop)
		}
		status, color := "ok", display.Green
		if changed(r.Result) {
			status, color = "changed", display.Yellow
		}
		c.handleWarnings(res)
		if loop || c.isInclude() {
			return
		}
		msg := fmt.Sprintf("%s: [%s]", status, c.hostLabel(r))
		if c.verbose(r.Result) {
			msg += " => " + c.dump(res)
		}
		c.d.Print(msg, color, false)
	}
}

// isInclude: the task is an include_tasks/include_role, whose results
// Ansible shows as "included:" lines (or not at all).
func (c *Callback) isInclude() bool {
	if c.task == nil {
		return false
	}
	switch playbook.ShortAction(c.task.Module) {
	case "include_tasks", "include_role":
		return true
	}
	return false
}

// Included prints the "included:" line of a file an include brought in.
func (c *Callback) Included(path string, hosts []string, item any, hasItem bool) {
	msg := fmt.Sprintf("included: %s for %s", path, strings.Join(hosts, ", "))
	if hasItem {
		msg += " => (item=" + pyfmt.Str(item) + ")"
	}
	c.d.Print(msg, display.Cyan, false)
}

// Recap prints the PLAY RECAP block.
func (c *Callback) Recap(stats map[string]*executor.Stats, order []string) {
	c.d.Banner("PLAY RECAP", "")
	for _, h := range sortedHosts(stats, order) {
		s := stats[h]
		c.d.Print(fmt.Sprintf("%s : %s %s %s %s %s %s %s",
			c.hostColor(h, s),
			c.counter("ok", s.OK, display.Green),
			c.counter("changed", s.Changed, display.Yellow),
			c.counter("unreachable", s.Unreachable, display.BrightRed),
			c.counter("failed", s.Failed, display.Red),
			c.counter("skipped", s.Skipped, display.Cyan),
			c.counter("rescued", s.Rescued, display.Green),
			c.counter("ignored", s.Ignored, display.BrightPurple),
		), "", false)
	}
	c.d.Print("", "", false)
}

func (c *Callback) counter(lead string, n int, color string) string {
	s := fmt.Sprintf("%s=%-4d", lead, n)
	if n != 0 {
		s = c.d.Colorize(s, color)
	}
	return s
}

func (c *Callback) hostColor(h string, s *executor.Stats) string {
	if !c.d.Color {
		return fmt.Sprintf("%-26s", h)
	}
	color := display.Green
	switch {
	case s.Failed != 0 || s.Unreachable != 0:
		color = display.Red
	case s.Changed != 0:
		color = display.Yellow
	}
	return fmt.Sprintf("%-37s", c.d.Colorize(h, color))
}

func (c *Callback) hostLabel(r *executor.HostResult) string {
	if r.Delegate != "" && r.Delegate != r.Host {
		return r.Host + " -> " + r.Delegate
	}
	return r.Host
}

// verbose is the default callback's _run_is_verbose.
func (c *Callback) verbose(res map[string]any) bool {
	if v, _ := res["_ansible_verbose_override"].(bool); v {
		return false
	}
	always, _ := res["_ansible_verbose_always"].(bool)
	return c.verbosity > 0 || always
}

// dump is _dump_results: internal keys stripped, indented at -vvv or for
// results that ask for it.
func (c *Callback) dump(res map[string]any) string {
	indent := 0
	if always, _ := res["_ansible_verbose_always"].(bool); always || c.verbosity > 2 {
		indent = 4
	}
	out := make(map[string]any, len(res))
	for k, v := range res {
		if executor.IsInternalKey(k) || k == "exception" {
			continue
		}
		if c.verbosity < 3 && (k == "invocation" || k == "diff") {
			continue
		}
		out[k] = executor.StripKeys(v, executor.IsInternalKey)
	}
	return pyfmt.JSON(out, indent)
}

// clean is TaskResult.clean_copy plus the default callback's _clean_results:
// "failed" and "skipped" go (the status says it), debug shows only its msg.
func (c *Callback) clean(res map[string]any) map[string]any {
	out := make(map[string]any, len(res))
	for k, v := range res {
		if k == "failed" || k == "skipped" {
			continue
		}
		out[k] = v
	}
	if c.isDebug() {
		if _, ok := out["msg"]; ok {
			for k := range out {
				switch k {
				case "msg", "exception", "warnings", "deprecations":
				default:
					if !strings.HasPrefix(k, "_") {
						delete(out, k)
					}
				}
			}
		} else {
			for _, k := range []string{"msg", "exception", "warnings", "deprecations", "changed", "skip_reason", "invocation"} {
				delete(out, k)
			}
		}
	}
	return out
}

// handleException is _handle_exception: a result's exception (a traceback) is shown
// before its line, only its last line below -vvv, and not again in the result (res, the
// cleaned copy of result).
func (c *Callback) handleException(result, res map[string]any) {
	tb, ok := result["exception"].(string)
	if !ok {
		return
	}
	msg := "An exception occurred during task execution. "
	if c.verbosity < 3 {
		lines := strings.Split(strings.TrimSpace(tb), "\n")
		msg += "To see the full traceback, use -vvv. The error was: " + lines[len(lines)-1]
	} else {
		msg = "An exception occurred during task execution. The full traceback is:\n" + tb
	}
	delete(res, "exception")
	c.d.Print(msg, display.Red, false)
}

func (c *Callback) handleWarnings(res map[string]any) {
	if ws, ok := res["warnings"].([]any); ok {
		for _, w := range ws {
			c.d.Warning(fmt.Sprint(w))
		}
		delete(res, "warnings")
	}
	if ds, ok := res["deprecations"].([]any); ok {
		for _, d := range ds {
			if m, ok := d.(map[string]any); ok {
				c.d.Deprecated(fmt.Sprint(m["msg"]))
			}
		}
		delete(res, "deprecations")
	}
}

// itemLabel is _get_item_label of the censored copy: a no_log item has lost
// its "item", so Ansible prints None.
func itemLabel(r *executor.HostResult) string {
	res := r.Result
	if r.NoLog {
		return "None"
	}
	if l, ok := res["_ansible_item_label"]; ok {
		return pyfmt.Str(l)
	}
	return pyfmt.Str(res["item"])
}

func changed(res map[string]any) bool {
	c, _ := res["changed"].(bool)
	return c
}

func sortedHosts(stats map[string]*executor.Stats, order []string) []string {
	hosts := make([]string, 0, len(stats))
	for h := range stats {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	return hosts
}

// Retry prints the "FAILED - RETRYING" line of a task with until.
func (c *Callback) Retry(r *executor.HostResult, task string, left int) {
	msg := fmt.Sprintf("FAILED - RETRYING: [%s]: %s (%d retries left).", c.hostLabel(r), task, left)
	if c.verbosity > 2 {
		msg += "Result was: " + c.dump(c.clean(r.Result))
	}
	c.d.Print(msg, display.DarkGray, false)
}

// NoHostsRemaining prints the banner shown when a play runs out of hosts.
func (c *Callback) NoHostsRemaining() { c.d.Banner("NO MORE HOSTS LEFT", "") }
