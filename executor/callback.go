package executor

import (
	"github.com/gossible/gossible/playbook"
)

// Callback receives the run's events; output/default and output/json implement
// it. Calls for one run are serialised by the executor (never concurrent).
type Callback interface {
	PlaybookStart(pb *playbook.Playbook)
	PlayStart(play *playbook.Play, name string)
	TaskStart(task *playbook.Task, name string, handler bool)
	// HostResult is called once per host per task (after all its loop items);
	// ItemResult before it for each loop item.
	ItemResult(r *HostResult, item any)
	HostResult(r *HostResult)
	Warning(msg string)
	Recap(stats map[string]*Stats, order []string)
}

// Status is a host's outcome for one task (or one loop item).
type Status int

const (
	StatusOK Status = iota
	StatusChanged
	StatusSkipped
	StatusFailed
	StatusUnreachable
)

// HostResult is one host's result for one task.
type HostResult struct {
	Host     string
	Delegate string
	Status   Status
	Ignored  bool           // failed but ignore_errors, or unreachable but ignore_unreachable
	Result   map[string]any // Ansible's result dict (with "results" for loops)
	NoLog    bool
	// Diff is the task's diff mode: modules return a "diff" key either
	// way, and callbacks show it only in diff mode, as Ansible's do.
	Diff bool
}

// Stats are a host's RECAP counters.
type Stats struct {
	OK, Changed, Unreachable, Failed, Skipped, Rescued, Ignored int
}
