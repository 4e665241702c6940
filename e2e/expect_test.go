package e2e

import (
	"reflect"
	"testing"
)

// The chapter's role, as ansible-core 2.14 reports it (serial: 1, so one
// batch per host). .201 is the server: its "Has joined" is skipped (no
// consul_server_ip); .202 and .203 join it.
type runKind int

const (
	firstRun runKind = iota // fresh hosts: everything changes
	rerun                   // converged hosts: only the two shell tasks change
	checkRun                // --check on converged hosts: shell is skipped
	noTagRun                // --tags matching nothing: only fact gathering (tag always)
)

func (k runKind) String() string {
	return [...]string{"first run", "second run", "check run", "no-tag run"}[k]
}

// wantRecap is the PLAY RECAP of a run of the chapter's playbook.
func (c *chapterCluster) wantRecap(k runKind) map[string]counts {
	r := map[string]counts{}
	for i, h := range c.Hosts {
		server := i == 0
		var n counts
		switch k {
		case firstRun: // facts ok + directories, files, agent (+ join) changed
			n = counts{OK: 5, Changed: 4}
		case rerun:
			n = counts{OK: 5, Changed: 2}
		case checkRun:
			n = counts{OK: 3, Skipped: 2}
		case noTagRun:
			n = counts{OK: 1}
		}
		if server && k != noTagRun && k != checkRun {
			n.OK--
			n.Changed--
			n.Skipped++
		}
		r[h.IP] = n
	}
	return r
}

// wantTasks is each task's per-host result lines (one per loop item).
func (c *chapterCluster) wantTasks(k runKind) map[string]map[string][]string {
	tasks := map[string]map[string][]string{}
	add := func(task, host string, st ...string) {
		if tasks[task] == nil {
			tasks[task] = map[string][]string{}
		}
		tasks[task][host] = st
	}
	for i, h := range c.Hosts {
		add("Gathering Facts", h.IP, "ok")
		if k == noTagRun {
			continue
		}
		item := "changed"
		if k != firstRun {
			item = "ok"
		}
		add("consul : Directories are created", h.IP, item, item, item)
		add("consul : Files are copied", h.IP, item, item)
		shell := "changed"
		if k == checkRun {
			shell = "skipping"
		}
		add("consul : Is running", h.IP, shell)
		if i == 0 {
			add("consul : Has joined", h.IP, "skipping")
		} else {
			add("consul : Has joined", h.IP, shell)
		}
	}
	return tasks
}

// checkRunOutput compares a run's recap and task results with the
// expectations for k.
func (c *chapterCluster) checkRunOutput(t *testing.T, k runKind, p playOutput) {
	t.Helper()
	if want := c.wantRecap(k); !reflect.DeepEqual(p.Recap, want) {
		t.Errorf("%s: PLAY RECAP\n%s\nwant\n%s", k, recapString(p.Recap), recapString(want))
	}
	want := c.wantTasks(k)
	for task, hosts := range want {
		if !reflect.DeepEqual(p.Tasks[task], hosts) {
			t.Errorf("%s: task %q results %v, want %v", k, task, p.Tasks[task], hosts)
		}
	}
	for task := range p.Tasks {
		if _, ok := want[task]; !ok {
			t.Errorf("%s: unexpected task %q ran: %v", k, task, p.Tasks[task])
		}
	}
}
