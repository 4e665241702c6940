// Package modules holds gossible's task modules. Each module lives in its own
// file and registers itself in init(); the executor finds it by short name or
// FQCN through Lookup. A module reports changed only when it changed something,
// honours Env.Check, and returns Ansible's result keys.
package modules

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/gossible/gossible/transport"
)

// Conn is what a module needs of the host connection; transport.Conn has it.
type Conn interface {
	Exec(ctx context.Context, cmd transport.Cmd) (transport.Result, error)
	Upload(ctx context.Context, r io.Reader, path string, mode fs.FileMode) error
	Download(ctx context.Context, path string, w io.Writer) error
}

// Env is everything a module may use besides its arguments.
type Env struct {
	Conn   Conn              // nil for controller-side modules (Info.Local)
	Become *transport.Become // nil: run as the login user
	Check  bool              // --check: predict, change nothing
	Diff   bool              // --diff: put "diff" into the result when content changes
	Host   string            // inventory_hostname
	// FindFile resolves a relative controller path of the given kind
	// ("files" or "templates") the way Ansible does: the role's kind dir,
	// the role dir, the playbook's kind dir, the playbook dir. Absolute
	// paths are returned as they are.
	FindFile func(kind, name string) (string, error)
	// Eval evaluates a bare Jinja2 expression against the task's variables
	// (debug var=, assert that=).
	Eval func(expr string) (any, error)
	// Cond evaluates a conditional the way `when:` does.
	Cond func(expr string) (bool, error)
	// Render renders the whole text of a template file with the task's
	// variables plus opts.Vars over them (the template module; see
	// RenderOptions). nil: the template module fails saying so.
	Render func(text string, opts RenderOptions) (string, error)
	// Warn records a warning shown in the task output.
	Warn func(msg string)
	// Verbosity is the -v count, for debug's verbosity argument.
	Verbosity int
	// RemoteTmp is a per-run scratch directory on the host, owned by the
	// login user, created on first use by the executor and removed at the end.
	RemoteTmp string
}

// Result is a module's return value, in Ansible's shape ("changed", "failed",
// "msg", "rc", "stdout", "ansible_facts", ...).
type Result map[string]any

// Module runs one task on one host. A failure of the task is a Result with
// "failed": true and "msg"; an error return means the host is unreachable
// (wrapping transport.ErrUnreachable) or an internal fault.
type Module interface {
	Run(ctx context.Context, env *Env, args map[string]any) (Result, error)
}

// Info describes a module for the registry.
type Info struct {
	Name     string   // FQCN, e.g. "ansible.builtin.copy"
	Aliases  []string // other FQCNs; the short name is derived from Name
	FreeForm bool     // takes free-form text as _raw_params (command, shell)
	Local    bool     // runs on the controller only (debug, set_fact, fail, assert)
	New      func() Module
}

var (
	mu       sync.RWMutex
	registry = map[string]Info{}
)

// Register adds a module under its FQCN, its aliases and its short name.
// Registering a name twice panics: it is a programming error.
func Register(info Info) {
	mu.Lock()
	defer mu.Unlock()
	names := append([]string{info.Name, shortName(info.Name)}, info.Aliases...)
	for _, n := range names {
		if _, dup := registry[n]; dup {
			panic(fmt.Sprintf("modules: %q registered twice", n))
		}
		registry[n] = info
	}
}

// Lookup finds a module by short name or FQCN.
func Lookup(name string) (Info, bool) {
	mu.RLock()
	defer mu.RUnlock()
	info, ok := registry[name]
	return info, ok
}

// Names lists every registered name (for "did you mean" hints).
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func shortName(fqcn string) string {
	if i := strings.LastIndexByte(fqcn, '.'); i >= 0 {
		return fqcn[i+1:]
	}
	return fqcn
}
