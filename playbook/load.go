package playbook

import (
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/vault"
)

// Options are what loading needs from outside the playbook.
type Options struct {
	// RolesPath is roles_path from ansible.cfg or the environment, searched
	// after <playbook_dir>/roles and before the playbook directory itself.
	RolesPath []string
	// KnownModule reports whether a task key names a module (short name or
	// FQCN); nil accepts every key that is not a task keyword.
	KnownModule func(name string) bool
	// ModuleNames lists module names for "did you mean" hints; may be nil.
	ModuleNames func() []string
	// VaultSecrets decrypt vaulted playbook, tasks and role vars files and
	// !vault values; without them vaulted data is an error.
	VaultSecrets []vault.Secret
	// PlaybookDir is where LoadTasksFile's relative imports are searched
	// last; empty means the tasks file's own directory.
	PlaybookDir string
}

// loader holds the state of one Load call.
type loader struct {
	opts      Options
	pbDir     string
	warnings  []string
	roles     map[string]*Role // by absolute role path
	roleStack []string         // role paths being loaded, for cycles
	// importStack holds the files being imported (import_tasks,
	// import_playbook), for recursion errors.
	importStack []string
}

func newLoader(opts Options, pbDir string) *loader {
	return &loader{opts: opts, pbDir: pbDir, roles: map[string]*Role{}}
}

// Load reads the playbook at path with its roles. Errors are *Error
// (Ansible's layout, with file:line:col) except for I/O failures.
func Load(path string, opts Options) (*Playbook, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve playbook path: %w", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return nil, &Error{Msg: fmt.Sprintf("the playbook: %s could not be found", path)}
	} else if fi.IsDir() {
		return nil, &Error{Msg: fmt.Sprintf("the playbook: %s does not appear to be a file", path)}
	}
	l := newLoader(opts, filepath.Dir(abs))
	src, root, err := readYAML(abs, l.opts.VaultSecrets)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, &Error{Msg: fmt.Sprintf("Empty playbook, nothing to do: %s", abs)}
	}
	root = deref(root)
	if root.Kind != yaml.SequenceNode {
		return nil, src.errAt(root, "A playbook must be a list of plays, got a %s instead: %s", ansibleClass(root), abs)
	}
	pb := &Playbook{Path: path, Dir: l.pbDir}
	l.importStack = []string{abs}
	if pb.Plays, err = l.entries(src, root); err != nil {
		return nil, err
	}
	pb.Warnings = l.warnings
	return pb, nil
}

// LoadTasksFile reads a list of tasks (an include_tasks file). role is the
// role the file belongs to, or nil; its tasks get Task.Role = role. Relative
// roles in the tasks are not involved, so Options only matter for modules.
func LoadTasksFile(path string, role *Role, opts Options) ([]*Task, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve tasks file path: %w", err)
	}
	dir := opts.PlaybookDir
	if dir == "" {
		dir = filepath.Dir(abs)
	}
	l := newLoader(opts, dir)
	l.importStack = []string{abs}
	return l.taskFile(abs, role, false)
}

// taskFile reads a file that holds a list of tasks (or nothing).
func (l *loader) taskFile(abs string, role *Role, handlers bool) ([]*Task, error) {
	src, root, err := readYAML(abs, l.opts.VaultSecrets)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return []*Task{}, nil
	}
	return l.taskList(src, root, role, handlers, "tasks")
}
