package executor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
)

func (r *runner) runPlaybook(pb *playbook.Playbook) error {
	r.cb.PlaybookStart(pb)
	r.verbose(2, fmt.Sprintf("%d plays in %s", len(pb.Plays), pb.Path))
	for _, w := range pb.Warnings {
		r.warn(w)
	}
	for _, play := range pb.Plays {
		if err := r.ctx.Err(); err != nil {
			return ErrInterrupted
		}
		stop, err := r.runPlay(pb, play)
		if err != nil {
			return err
		}
		if stop {
			break
		}
	}
	return nil
}

// selectHosts resolves the play's pattern, intersected with --limit.
func (r *runner) selectHosts(pattern string) ([]*inventory.Host, error) {
	hosts, err := r.inv.Select(pattern)
	if err != nil {
		return nil, err
	}
	if r.opts.Limit == "" {
		return hosts, nil
	}
	lim, err := r.inv.Select(r.opts.Limit)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, h := range lim {
		in[h.Name] = true
	}
	out := hosts[:0:0]
	for _, h := range hosts {
		if in[h.Name] {
			out = append(out, h)
		}
	}
	return out, nil
}

// runPlay runs one play; stop means the playbook must not go on (every host
// of a batch failed, as Ansible's break_play).
func (r *runner) runPlay(pb *playbook.Playbook, play *playbook.Play) (stop bool, err error) {
	if err := r.promptVars(play); err != nil {
		return false, err
	}
	st, err := r.strategyFor(play)
	if err != nil {
		return false, err
	}
	play = r.withStrategy(play)
	pc := r.newPlayCtx(pb, play)
	// The play name may use extra vars and play vars only.
	// Ansible templates the play's name and hosts with its vars and extra vars.
	playScope := template.NewScope(play.Vars, r.opts.ExtraVars)
	name := play.DisplayName()
	if template.IsTemplate(name) {
		if s, err := r.engine.RenderString(name, playScope); err == nil {
			name = s
		}
	}
	pattern := play.Hosts
	if template.IsTemplate(pattern) {
		s, err := r.engine.RenderString(pattern, playScope)
		if err != nil {
			return false, fatalf("templating the hosts of play %q: %v", play.DisplayName(), err)
		}
		pattern = s
		if play.Name == "" {
			name = s
		}
	}
	hosts, err := r.selectHosts(pattern)
	if err != nil {
		return false, err
	}
	hosts = orderHosts(hosts, play.Order)
	for _, p := range r.inv.UnmatchedPatterns(pattern) {
		r.warn("Could not match supplied host pattern, ignoring: " + p)
	}
	if err := r.preloadVarsFiles(pc); err != nil {
		return false, err
	}
	r.cb.PlayStart(play, name)
	var states []*hostState
	for _, h := range hosts {
		hs := r.hostState(h)
		if hs.unreachable {
			continue
		}
		hs.failed = hs.everFailed
		hs.ended = false
		hs.errorsCleared = false
		states = append(states, hs)
	}
	if len(states) == 0 {
		if x, ok := r.cb.(ExtraCallback); ok {
			x.NoHostsMatched()
		}
		return false, nil
	}
	cache := map[string]map[string]any{}
	for _, hs := range states {
		if err := r.loadVarsFiles(pc, hs, cache); err != nil {
			return false, err
		}
	}
	for _, h := range r.inv.Hosts() {
		hs := r.hostState(h)
		pc.hostvars[h.Name] = r.scope(pc, hs, nil)
	}
	batches, err := serialBatches(play.Serial, states)
	if err != nil {
		return false, err
	}
	allNames := hostNames(states)
	for i, batch := range batches {
		if i > 0 {
			// Ansible starts the play again for each serial batch.
			r.cb.PlayStart(play, name)
		}
		if err := r.ctx.Err(); err != nil {
			return false, ErrInterrupted
		}
		live := batch[:0:0]
		for _, hs := range batch {
			if !hs.failed && !hs.unreachable {
				live = append(live, hs)
			}
		}
		if len(live) == 0 {
			continue
		}
		bs := &batchState{all: allNames, batch: live}
		if err := r.runBatch(pc, bs, st); err != nil {
			return false, err
		}
		failed := 0
		for _, hs := range live {
			if hs.failed || hs.unreachable {
				failed++
			}
		}
		for _, hs := range live {
			if hs.failed && !hs.errorsCleared {
				hs.everFailed = true
				r.failedAny = true
			}
		}
		if failed == len(live) {
			return true, nil
		}
	}
	return false, nil
}

// orderHosts applies the play's order keyword to the selected hosts.
func orderHosts(hosts []*inventory.Host, order string) []*inventory.Host {
	out := append([]*inventory.Host(nil), hosts...)
	switch order {
	case "reverse_inventory":
		slices.Reverse(out)
	case "sorted":
		sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	case "reverse_sorted":
		sort.SliceStable(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	case "shuffle":
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

// batchState is the hosts of the batch being run.
type batchState struct {
	all   []string
	batch []*hostState
}

// active returns the batch hosts still running.
func (b *batchState) active() []*hostState {
	var out []*hostState
	for _, hs := range b.batch {
		if !hs.failed && !hs.unreachable && !hs.ended {
			out = append(out, hs)
		}
	}
	return out
}

func (r *runner) runBatch(pc *playCtx, bs *batchState, st strategy) error {
	for _, hs := range bs.batch {
		hs.notified = map[*handlerEntry]bool{}
	}
	pc.handlers = buildHandlers(pc.c.handlers)
	return st.runBatch(pc, bs)
}

// serialBatches splits hosts by the play's serial values (ints, "N%"
// strings; the last value repeats), as Ansible's _get_serialized_batches.
func serialBatches(serial []any, hosts []*hostState) ([][]*hostState, error) {
	if len(serial) == 0 {
		return [][]*hostState{hosts}, nil
	}
	sizes := make([]int, len(serial))
	for i, s := range serial {
		n, err := serialSize(s, len(hosts))
		if err != nil {
			return nil, err
		}
		sizes[i] = n
	}
	var out [][]*hostState
	rest := hosts
	for i := 0; len(rest) > 0; i++ {
		n := sizes[len(sizes)-1]
		if i < len(sizes) {
			n = sizes[i]
		}
		if n <= 0 || n > len(rest) {
			n = len(rest)
		}
		out = append(out, rest[:n])
		rest = rest[n:]
	}
	return out, nil
}

func serialSize(v any, total int) (int, error) {
	switch t := v.(type) {
	case int:
		return t, nil
	case int64:
		return int(t), nil
	case float64:
		return int(t), nil
	case string:
		s := strings.TrimSpace(t)
		if strings.HasSuffix(s, "%") {
			p, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
			if err != nil {
				return 0, fatalf("invalid serial value %q: expected an integer or a percentage like \"30%%\"", t)
			}
			n := int(math.Floor(float64(total) * p / 100))
			if n < 1 {
				n = 1
			}
			return n, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fatalf("invalid serial value %q: expected an integer or a percentage like \"30%%\"", t)
		}
		return n, nil
	}
	return 0, fatalf("invalid serial value %v: expected an integer or a percentage", v)
}

func hostNames(hs []*hostState) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.name
	}
	return out
}

// setDynamic replaces the play-wide magic variables before a task.
func (pc *playCtx) setDynamic(bs *batchState) {
	var playHosts []any
	failed := map[string]bool{}
	for _, hs := range bs.batch {
		if hs.failed || hs.unreachable {
			failed[hs.name] = true
		}
	}
	for _, n := range bs.all {
		if !failed[n] {
			playHosts = append(playHosts, n)
		}
	}
	var batch []any
	for _, hs := range bs.active() {
		batch = append(batch, hs.name)
	}
	all := make([]any, len(bs.all))
	for i, n := range bs.all {
		all[i] = n
	}
	pc.dynamic = map[string]any{
		"ansible_play_hosts":     orEmpty(playHosts),
		"ansible_play_batch":     orEmpty(batch),
		"play_hosts":             orEmpty(batch),
		"ansible_play_hosts_all": all,
	}
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}
