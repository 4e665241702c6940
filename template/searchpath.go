package template

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FindRelative is Ansible's path_dwim_relative_stack, the one search for controller
// files that lookups, the template loader and the executor's action plugins share: for
// each search path, path/subdir/name then path/name (for a directory in a role's tasks/
// that is a role, the role's subdir and the directory itself), then the same under
// basedir; an absolute or ~ name only has to exist. It returns the first candidate that
// exists ("" if none) and every candidate, for the error message.
func (e *Engine) FindRelative(paths []string, basedir, subdir, name string) (string, []string) {
	if strings.HasPrefix(name, "~") || strings.HasPrefix(name, "/") {
		p := unfrack(name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		return "", []string{p}
	}
	// a name already starting with subdir/ does not get it twice
	withSub := strings.SplitN(name, "/", 2)[0] != subdir
	var cands []string
	for _, p := range append(paths[:len(paths):len(paths)], basedir) {
		p = unfrack(p)
		if parent := filepath.Dir(p); strings.HasSuffix(parent, "/tasks") && e.roleDirs.is(p) {
			cands = append(cands, pyJoin(filepath.Dir(parent), subdir, name), pyJoin(parent, name))
			continue
		}
		if withSub {
			cands = append(cands, pyJoin(p, subdir, name))
		}
		cands = append(cands, pyJoin(p, name))
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, cands
		}
	}
	return "", cands
}

// roleDirs remembers which directories look like roles, for the engine's lifetime (the
// executor makes one engine per run): the test stats up to six files.
type roleDirs struct{ m sync.Map }

// is is Ansible's imperfect role detection: a main file in p, or a tasks/main file
// under it.
func (r *roleDirs) is(p string) bool {
	if v, ok := r.m.Load(p); ok {
		return v.(bool)
	}
	found := false
	for _, f := range []string{"main.yml", "main.yaml", "main", "tasks/main.yml", "tasks/main.yaml", "tasks/main"} {
		if _, err := os.Stat(filepath.Join(p, f)); err == nil {
			found = true
			break
		}
	}
	r.m.Store(p, found)
	return found
}

// basedirOf is Ansible's loader basedir: the playbook's directory, else the working
// directory. It is where inline templates find what they include, pipe runs and
// relative password files go.
func basedirOf(s *Scope, chain *resolving) string {
	if v, ok, err := s.lookupPlain("playbook_dir", chain); err == nil && ok {
		if p, ok := v.(string); ok && p != "" {
			return unfrack(p)
		}
	}
	wd, _ := os.Getwd()
	return wd
}

// searchPathOf is the scope's ansible_search_path (the executor sets it per task); ok is
// false when it is not set.
func searchPathOf(s *Scope, chain *resolving) (paths []string, ok bool, err error) {
	v, ok, err := s.lookupPlain("ansible_search_path", chain)
	if err != nil || !ok {
		return nil, ok, err
	}
	switch t := v.(type) {
	case []any:
		for _, p := range t {
			paths = append(paths, pyStr(p))
		}
	case string:
		paths = append(paths, t)
	}
	return paths, true, nil
}
