package executor

import (
	"path/filepath"
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

// findInSearchPath finds a controller file along the task's search path,
// then in the playbook's directory (see template.Engine.FindRelative). It
// returns the first that exists, and every candidate for the message.
func (r *runner) findInSearchPath(pc *playCtx, n *node, subdir, name string) (string, []string) {
	return r.engine.FindRelative(searchPath(pc, n), pc.pb.Dir, subdir, name)
}
