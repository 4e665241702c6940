// Package executor runs loaded playbooks with Ansible 2.14's linear strategy:
// plays over their hosts (--limit, serial batches), facts first, then
// pre_tasks, roles, tasks and post_tasks, each task on up to Forks hosts at
// once, handlers at the end of each section. Variables are layered template
// Scopes in Ansible's precedence order, sharing the maps, never copying them.
// One connection per host serves the whole run. Results go to a Callback,
// one call at a time.
package executor

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/vault"
)

// Options configure a run; the CLI fills them from flags, ansible.cfg and
// the environment.
type Options struct {
	Inventory   *inventory.Inventory
	Limit       string         // --limit pattern; empty: no limit
	Tags        []string       // --tags; empty means ["all"]
	SkipTags    []string       // --skip-tags
	ExtraVars   map[string]any // -e, merged in command-line order
	Check       bool           // --check
	Diff        bool           // --diff
	Forks       int            // hosts running a task at once; 0 means 5
	Verbosity   int            // -v count
	StartAtTask string         // --start-at-task
	// ForceHandlers runs notified handlers on hosts that failed later.
	ForceHandlers bool
	// Strategy is the strategy of plays that set none (ansible.cfg's
	// strategy); empty means linear.
	Strategy string

	Connection      string // -c: "ssh" (default) or "local"
	RemoteUser      string // -u or remote_user
	PrivateKeyFile  string // --private-key or private_key_file
	Password        string // -k
	Become          bool   // -b or become
	BecomeUser      string // --become-user; empty means root
	BecomeMethod    string // --become-method; empty means sudo
	BecomePassword  string // -K
	HostKeyChecking bool
	Timeout         time.Duration

	Callback Callback
	// Dial opens a connection; nil means ssh.Dial, or local.New for
	// ansible_connection=local.
	Dial DialFunc
	// Prompt asks the user for a vars_prompt value; nil means stdin is
	// not interactive, and prompts take their defaults (as Ansible does).
	Prompt func(p playbook.VarPrompt) (string, error)
	// VaultSecrets open vaulted vars_files (and their !vault values).
	VaultSecrets []vault.Secret
}

// DialFunc opens a connection of the given kind ("ssh" or "local").
type DialFunc func(ctx context.Context, kind string, cfg transport.Config) (transport.Conn, error)

// Outcome is what a run produced, for the exit code.
type Outcome struct {
	Stats       map[string]*Stats
	Order       []string // hosts in first-seen order
	Failed      bool     // some host failed a task
	Unreachable bool     // some host was unreachable
}

// ErrInterrupted is returned when the context was cancelled (Ctrl-C).
var ErrInterrupted = errors.New("user interrupted execution")

// Run executes the playbooks in order. An error means the run could not go
// on (a bad play, an interrupt); task failures are in the Outcome.
func Run(ctx context.Context, pbs []*playbook.Playbook, opts Options) (*Outcome, error) {
	if opts.Inventory == nil {
		return nil, errors.New("run playbooks: no inventory")
	}
	if opts.Callback == nil {
		return nil, errors.New("run playbooks: no callback")
	}
	if opts.Forks <= 0 {
		opts.Forks = 5
	}
	r := newRunner(ctx, opts)
	defer r.closeAll()
	var err error
	for _, pb := range pbs {
		if err = r.runPlaybook(pb); err != nil {
			break
		}
	}
	out := r.outcome()
	if err == nil && ctx.Err() != nil {
		err = ErrInterrupted
	}
	if err == nil {
		r.cb.Recap(out.Stats, out.Order)
	}
	return out, err
}

// runner is one run's state.
type runner struct {
	ctx    context.Context
	opts   Options
	cb     Callback
	engine *template.Engine
	inv    *inventory.Inventory

	hosts map[string]*hostState // every host seen, by name
	stats map[string]*Stats
	order []string

	conns       *connPool
	startAtDone bool
	groups      map[string]any // the `groups` magic variable
	failedAny   bool
	warned      map[string]bool // warnOnce's messages
	unreachAny  bool
	// varsErrs: some host's inventory vars files could not be read
	// (see varsFileCheck).
	varsErrs bool

	// state guards what workers read while the main goroutine writes it
	// (see state.go).
	state sync.RWMutex
}

func newRunner(ctx context.Context, opts Options) *runner {
	r := &runner{
		ctx:    ctx,
		opts:   opts,
		cb:     opts.Callback,
		engine: template.New(),
		inv:    opts.Inventory,
		hosts:  map[string]*hostState{},
		stats:  map[string]*Stats{},
	}
	r.engine.SetVaultSecrets(opts.VaultSecrets) // for the unvault lookup
	r.conns = newConnPool(opts.Dial)
	r.startAtDone = opts.StartAtTask == ""
	r.groups = groupsVar(r.inv)
	r.varsErrs = r.hasVarsErrors()
	return r
}

func (r *runner) outcome() *Outcome {
	out := &Outcome{Stats: r.stats, Order: append([]string(nil), r.order...), Failed: r.failedAny, Unreachable: r.unreachAny}
	if out.Order == nil {
		out.Order = []string{}
	}
	return out
}

func (r *runner) stat(host string) *Stats {
	s, ok := r.stats[host]
	if !ok {
		s = &Stats{}
		r.stats[host] = s
		r.order = append(r.order, host)
	}
	return s
}

func (r *runner) closeAll() {
	// Cleanup must run even after Ctrl-C, with a short deadline of its own.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, w := range r.conns.closeAll(ctx) {
		r.cb.Warning(w)
	}
}

func (r *runner) warn(msg string) { r.cb.Warning(msg) }

// workerWarner is where a host's task shows templating warnings (a lookup's missing
// file, errors='warn'). Ansible shows these from the worker process running the task,
// whose once-only memory is its own: a warning repeats for each task and host, once
// within one.
func (r *runner) workerWarner() func(string) {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(msg string) {
		mu.Lock()
		first := !seen[msg]
		seen[msg] = true
		mu.Unlock()
		if !first {
			return
		}
		if wc, ok := r.cb.(WorkerWarningCallback); ok {
			wc.WorkerWarning(msg)
			return
		}
		r.warn(msg)
	}
}

// warnOnce shows a warning the first time only, as Ansible's display
// does for repeated identical warnings.
func (r *runner) warnOnce(msg string) {
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	if !r.warned[msg] {
		r.warned[msg] = true
		r.warn(msg)
	}
}

func (r *runner) deprecated(msg string) {
	if x, ok := r.cb.(ExtraCallback); ok {
		x.Deprecated(msg)
		return
	}
	r.cb.Warning(msg)
}

func (r *runner) verbose(level int, msg string) {
	if v, ok := r.cb.(VerboseCallback); ok {
		v.Verbose(level, msg)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fatalError is an error that stops the whole run (not one host's task).
type fatalError struct{ msg string }

func (e *fatalError) Error() string { return e.msg }

func fatalf(format string, args ...any) error { return &fatalError{msg: fmt.Sprintf(format, args...)} }
