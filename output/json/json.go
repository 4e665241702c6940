// Package jsoncb is the "json" stdout callback: at the end of the run it
// prints one JSON document shaped as ansible.posix's json callback prints it
// (plays → {play, tasks → {task, hosts}}, stats, custom_stats,
// global_custom_stats), indented by 4 with sorted keys.
package jsoncb

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
)

// Callback collects the run and prints it at Recap.
type Callback struct {
	out   io.Writer
	d     *display.Display
	now   func() time.Time
	idGen func() string

	plays []map[string]any
	task  map[string]any // current task entry
	ptask *playbook.Task
	// free: the play's strategy is free or host_pinned, where each host's
	// start of a task opens an entry (as ansible.posix.json does when not
	// in lockstep); running maps a host to its entry until its result.
	free    bool
	running map[string]hostEntry
}

// hostEntry is a host's task entry under the free strategies.
type hostEntry struct {
	entry map[string]any
	task  *playbook.Task
}

var (
	_ executor.Callback         = (*Callback)(nil)
	_ executor.ExtraCallback    = (*Callback)(nil)
	_ executor.HostTaskCallback = (*Callback)(nil)
)

// New returns a json callback writing the document to out; warnings go to
// d's stderr as with any callback.
func New(out io.Writer, d *display.Display) *Callback {
	return &Callback{out: out, d: d, now: time.Now, idGen: newID}
}

// SetClock replaces the time source and id generator (for golden tests).
func (c *Callback) SetClock(now func() time.Time, id func() string) { c.now, c.idGen = now, id }

func (c *Callback) stamp() string {
	return c.now().UTC().Format("2006-01-02T15:04:05.000000") + "Z"
}

// PlaybookStart does nothing: the document has no playbook entry.
func (c *Callback) PlaybookStart(*playbook.Playbook) {}

// PlayStart opens a play entry.
func (c *Callback) PlayStart(play *playbook.Play, name string) {
	c.free = play.Strategy == "free" || play.Strategy == "host_pinned"
	c.running = map[string]hostEntry{}
	c.plays = append(c.plays, map[string]any{
		"play": map[string]any{
			"name":     name,
			"id":       c.idGen(),
			"path":     fmt.Sprintf("%s:%d", play.Pos.File, play.Pos.Line),
			"duration": map[string]any{"start": c.stamp()},
		},
		"tasks": []any{},
	})
}

// TaskStart opens a task entry in the current play (under the free
// strategies, HostTaskStart does).
func (c *Callback) TaskStart(task *playbook.Task, name string, _ bool) {
	if !c.free {
		c.open(task, name)
	}
}

// HostTaskStart opens the host's entry for the task under the free
// strategies.
func (c *Callback) HostTaskStart(task *playbook.Task, name string, _ bool, host string) {
	if c.free {
		c.open(task, name)
		c.running[host] = hostEntry{entry: c.task, task: task}
	}
}

func (c *Callback) open(task *playbook.Task, name string) {
	if len(c.plays) == 0 {
		return
	}
	path := ""
	if task != nil && task.Pos.File != "" {
		path = fmt.Sprintf("%s:%d", task.Pos.File, task.Pos.Line)
	}
	c.ptask = task
	c.task = map[string]any{
		"task": map[string]any{
			"name":     name,
			"id":       c.idGen(),
			"path":     path,
			"duration": map[string]any{"start": c.stamp()},
		},
		"hosts": map[string]any{},
	}
	play := c.plays[len(c.plays)-1]
	play["tasks"] = append(play["tasks"].([]any), c.task)
}

// ItemResult: items are part of the host's result ("results").
func (c *Callback) ItemResult(*executor.HostResult, any) {}

// HostResult records the host's cleaned result with "action" and the
// failed/skipped marker the status implies.
func (c *Callback) HostResult(r *executor.HostResult) {
	entry, ptask := c.task, c.ptask
	if he, ok := c.running[r.Host]; ok {
		entry, ptask = he.entry, he.task
		delete(c.running, r.Host)
	}
	if entry == nil {
		return
	}
	res := make(map[string]any, len(r.Result)+2)
	for k, v := range r.Result {
		if k == "failed" || k == "skipped" {
			continue
		}
		res[k] = v
	}
	switch r.Status {
	case executor.StatusFailed:
		res["failed"] = true
	case executor.StatusSkipped:
		res["skipped"] = true
	}
	if ptask != nil {
		res["action"] = ptask.Module
	}
	entry["hosts"].(map[string]any)[r.Host] = res
	end := c.stamp()
	entry["task"].(map[string]any)["duration"].(map[string]any)["end"] = end
	c.plays[len(c.plays)-1]["play"].(map[string]any)["duration"].(map[string]any)["end"] = end
}

// Warning goes to stderr, as Display does for every callback.
func (c *Callback) Warning(msg string) { c.d.Warning(msg) }

// WorkerWarning shows a warning a host's task raised, each time.
func (c *Callback) WorkerWarning(msg string) { c.d.WarningEach(msg) }

// Deprecated goes to stderr.
func (c *Callback) Deprecated(msg string) { c.d.Deprecated(msg) }

// NoHostsMatched leaves the play with no tasks.
func (c *Callback) NoHostsMatched() {}

// Recap prints the whole document.
func (c *Callback) Recap(stats map[string]*executor.Stats, _ []string) {
	summary := map[string]any{}
	for h, s := range stats {
		summary[h] = map[string]any{
			"ok": s.OK, "changed": s.Changed, "unreachable": s.Unreachable, "failures": s.Failed,
			"skipped": s.Skipped, "rescued": s.Rescued, "ignored": s.Ignored,
		}
	}
	plays := make([]any, len(c.plays))
	for i, p := range c.plays {
		plays[i] = p
	}
	doc := map[string]any{
		"plays":               plays,
		"stats":               summary,
		"custom_stats":        map[string]any{},
		"global_custom_stats": map[string]any{},
	}
	fmt.Fprintln(c.out, pyfmt.JSON(doc, 4))
}

// newID returns a UUID-shaped id, as Ansible's task and play uuids are.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
