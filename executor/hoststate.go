package executor

import (
	"maps"
	"strings"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/template"
)

// hostState is what the run knows of one host. Its maps are written only by
// the main goroutine, under the state lock when workers may be reading them
// (see state.go).
type hostState struct {
	name string
	host *inventory.Host

	// facts holds gathered facts injected as variables (ansible_*), plus
	// "ansible_facts" (the same without the prefix).
	facts   map[string]any
	nsFacts map[string]any
	// nonpersistent holds set_fact and registered values, and the
	// include_vars values (incKeys) none of those override.
	nonpersistent map[string]any
	incKeys       map[string]bool
	// magic holds the per-host magic variables.
	magic map[string]any

	failed      bool // failed in the current play (drops out of it)
	unreachable bool // unreachable: drops out of the run
	everFailed  bool
	ended       bool // meta: end_play / end_batch / end_host
	// errorsCleared: meta clear_host_errors ran after the host failed in
	// this play; it stays out of the play but not out of the next ones.
	errorsCleared bool

	notified map[*handlerEntry]bool
}

func (r *runner) hostState(h *inventory.Host) *hostState {
	if s, ok := r.hosts[h.Name]; ok {
		return s
	}
	ns := map[string]any{}
	s := &hostState{
		name:          h.Name,
		host:          h,
		facts:         map[string]any{"ansible_facts": ns},
		nsFacts:       ns,
		nonpersistent: map[string]any{},
		incKeys:       map[string]bool{},
		notified:      map[*handlerEntry]bool{},
	}
	groupNames := []any{}
	for _, g := range r.inv.GroupNames(h.Name) {
		groupNames = append(groupNames, g)
	}
	short := h.Name
	if i := strings.IndexByte(short, '.'); i > 0 {
		short = short[:i]
	}
	s.magic = map[string]any{
		"inventory_hostname":       h.Name,
		"inventory_hostname_short": short,
		"group_names":              groupNames,
		"groups":                   r.groups,
		"omit":                     template.OmitPlaceholder,
		"ansible_check_mode":       r.opts.Check,
		"ansible_diff_mode":        r.opts.Diff,
		"ansible_verbosity":        r.opts.Verbosity,
		"ansible_forks":            r.opts.Forks,
		"ansible_run_tags":         stringsAny(orAll(r.opts.Tags)),
		"ansible_skip_tags":        stringsAny(r.opts.SkipTags),
		"ansible_version": map[string]any{
			"full": "2.14.18", "major": 2, "minor": 14, "revision": 18, "string": "2.14.18",
		},
	}
	r.hosts[h.Name] = s
	return s
}

// setFacts records gathered facts: "ansible_x" as a variable and "x" under
// ansible_facts, as Ansible's namespace_facts and inject_facts_as_vars do.
// Values come marked unsafe where they must be (see execModule).
func (s *hostState) setFacts(f map[string]any) {
	// ansible_facts is a value templates read outside the state lock: it is
	// replaced, never changed in place (see state.go).
	ns := maps.Clone(s.nsFacts)
	for k, v := range f {
		ns[strings.TrimPrefix(k, "ansible_")] = v
		s.facts[k] = v
	}
	s.nsFacts, s.facts["ansible_facts"] = ns, ns
}

// clearFacts forgets the gathered facts (meta: clear_facts); set_fact
// values stay, as Ansible keeps them outside its fact cache.
func (s *hostState) clearFacts() {
	s.nsFacts = map[string]any{}
	for k := range s.facts {
		delete(s.facts, k)
	}
	s.facts["ansible_facts"] = s.nsFacts
}

func orAll(tags []string) []string {
	if len(tags) == 0 {
		return []string{"all"}
	}
	return tags
}

func stringsAny(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}
