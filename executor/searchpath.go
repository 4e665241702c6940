package executor

import (
	"os"
	"path/filepath"
	"strings"
)

// searchPath is Ansible's ansible_search_path for a task: the paths of its
// role and of the roles that pulled that role in (innermost first), the
// directory of the task's own file, then the playbook's directory.
func searchPath(pc *playCtx, n *node) []string {
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	if n.role != nil {
		for ri := n.role; ri != nil; ri = ri.parent {
			out = append(out, ri.role.Path)
		}
	}
	if f := n.task.Pos.File; f != "" {
		add(filepath.Dir(f))
	}
	add(pc.pb.Dir)
	return out
}

// findInSearchPath is Ansible's path_dwim_relative_stack: for each search
// path, path/subdir/name then path/name (a role's tasks/ subdirectory
// looks in the role's subdir), then the same under the playbook directory.
// It returns the first that exists, and every candidate for the message.
func findInSearchPath(pc *playCtx, n *node, subdir, name string) (string, []string) {
	if filepath.IsAbs(name) {
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
		return "", []string{name}
	}
	// a name already starting with subdir/ does not get it twice
	withSub := strings.SplitN(name, "/", 2)[0] != subdir
	var cands []string
	for _, p := range searchPath(pc, n) {
		if parent := filepath.Dir(p); isRoleDir(p) && strings.HasSuffix(parent, "/tasks") {
			cands = append(cands, filepath.Join(filepath.Dir(parent), subdir, name), filepath.Join(parent, name))
			continue
		}
		if withSub {
			cands = append(cands, filepath.Join(p, subdir, name))
		}
		cands = append(cands, filepath.Join(p, name))
	}
	if withSub {
		cands = append(cands, filepath.Join(pc.pb.Dir, subdir, name))
	}
	cands = append(cands, filepath.Join(pc.pb.Dir, name))
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, cands
		}
	}
	return "", cands
}

// isRoleDir is Ansible's imperfect role detection: a main file in p, or a
// tasks/main file under it.
func isRoleDir(p string) bool {
	for _, f := range []string{"main.yml", "main.yaml", "main", "tasks/main.yml", "tasks/main.yaml", "tasks/main"} {
		if _, err := os.Stat(filepath.Join(p, f)); err == nil {
			return true
		}
	}
	return false
}
