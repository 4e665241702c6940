package executor

import (
	"github.com/gossible/gossible/playbook"
)

// strategy runs one serial batch of a play: it decides which host runs
// which task when. Both strategies run a task on a host the same way
// (execOnHost, runMeta's effects, the include loaders); they differ in
// how hosts advance through the play.
type strategy interface {
	runBatch(pc *playCtx, bs *batchState) error
}

// strategyName is the play's strategy, or the configured default when it
// sets none; "" means the configured default is not a strategy.
func (r *runner) strategyName(play *playbook.Play) string {
	switch {
	case play.Strategy != "":
		return play.Strategy
	case r.opts.Strategy == "":
		return "linear"
	}
	return playbook.StrategyName(r.opts.Strategy)
}

// strategyFor picks the play's strategy (see strategyName).
func (r *runner) strategyFor(play *playbook.Play) (strategy, error) {
	switch r.strategyName(play) {
	case "":
		return nil, fatalf("Invalid play strategy specified: %s", r.opts.Strategy)
	case "free":
		return &freeStrategy{r: r}, nil
	case "host_pinned":
		return &freeStrategy{r: r, pinned: true}, nil
	}
	return linearStrategy{r: r}, nil
}

// withStrategy is the play as the callbacks see it, its strategy set
// (their output depends on it, as Ansible's callbacks read
// play.strategy); strategyFor has accepted the play.
func (r *runner) withStrategy(play *playbook.Play) *playbook.Play {
	if play.Strategy != "" {
		return play
	}
	p := *play
	p.Strategy = r.strategyName(play)
	return &p
}

// gatherNode is the implicit "Gathering Facts" task of the play, or nil
// when the play does not gather facts (gather_facts, tags, --start-at-task).
func (r *runner) gatherNode(pc *playCtx) *node {
	if pc.play.GatherFacts != nil && !*pc.play.GatherFacts {
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
	return n
}
