package executor

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gossible/gossible/template"
)

var includeVarsOptions = map[string]bool{
	"_raw_params": true, "file": true, "dir": true, "name": true, "files_matching": true,
	"ignore_files": true, "depth": true, "extensions": true, "ignore_unknown_extensions": true,
}

// includeVars is the include_vars action: it reads variables from a file
// or a directory of files on the controller. They are set on the host
// with include_vars precedence when the result is applied.
func (r *runner) includeVars(pc *playCtx, n *node, sc *template.Scope, out *hostOutcome) (map[string]any, bool) {
	v, err := r.engine.Render(n.task.Args, sc)
	if err != nil {
		return failedResult(taskErrorMsg(n.task.Pos, err)), false
	}
	args, _ := template.RemoveOmit(v).(map[string]any)
	for k := range args {
		if !includeVarsOptions[k] {
			return failedResult(fmt.Sprintf("Invalid options for include_vars: %s", k)), false
		}
	}
	str := func(k string) string { s, _ := args[k].(string); return s }
	file := str("file")
	if file == "" {
		file = str("_raw_params")
	}
	dir := str("dir")
	if (file == "") == (dir == "") {
		return failedResult("You are mixing file only and dir only arguments, these are incompatible"), false
	}
	exts := []string{"yaml", "yml", "json"}
	if l, ok := args["extensions"].([]any); ok {
		exts = exts[:0]
		for _, e := range l {
			exts = append(exts, fmt.Sprint(e))
		}
	}
	data := map[string]any{}
	var loaded []any
	res := map[string]any{"changed": false}
	failWith := func(msg string) (map[string]any, bool) {
		return map[string]any{"ansible_facts": map[string]any{}, "ansible_included_var_files": orEmpty(loaded),
			"changed": false, "failed": true, "message": msg}, false
	}
	if file != "" {
		path, cands := r.varsSearch(pc, n, file)
		if path == "" {
			return failWith(fmt.Sprintf("Could not find or access '%s'\nSearched in:\n\t%s on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option",
				file, strings.Join(cands, "\n\t")))
		}
		m, err := r.decodeVarsFile(mustRead(path), path)
		if err != nil {
			return failedResult(err.Error()), false
		}
		for k, v := range m {
			data[k] = v
		}
		loaded = append(loaded, path)
	} else {
		root, _ := r.varsSearch(pc, n, dir)
		if root == "" {
			base := pc.pb.Dir
			if n.role != nil {
				base = n.role.role.Path
			}
			return failWith(filepath.Join(base, dir) + " directory does not exist")
		}
		files, err := varsDirFiles(root, args)
		if err != nil {
			return failedResult(err.Error()), false
		}
		for _, f := range files {
			if !hasExt(f, exts) {
				if b, _ := args["ignore_unknown_extensions"].(bool); b {
					continue
				}
				return failWith(fmt.Sprintf("%s does not have a valid extension: %s", f, strings.Join(exts, ", ")))
			}
			m, err := r.decodeVarsFile(mustRead(f), f)
			if err != nil {
				return failedResult(err.Error()), false
			}
			for k, v := range m {
				data[k] = v
			}
			loaded = append(loaded, f)
		}
	}
	if name := str("name"); name != "" {
		data = map[string]any{name: data}
	}
	out.incVars = data
	res["ansible_facts"] = data
	res["ansible_included_var_files"] = orEmpty(loaded)
	return res, true
}

// varsSearch finds include_vars' file or dir as Ansible does: vars/name
// then name along the task's search path.
func (r *runner) varsSearch(pc *playCtx, n *node, name string) (string, []string) {
	return r.findInSearchPath(pc, n, "vars", name)
}

func mustRead(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

func hasExt(f string, exts []string) bool {
	e := strings.TrimPrefix(filepath.Ext(f), ".")
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}

// varsDirFiles lists a vars directory as include_vars walks it: directories
// in sorted order, each one's files sorted, down to depth (0: all), minus
// ignore_files and names files_matching rejects.
func varsDirFiles(root string, args map[string]any) ([]string, error) {
	depth := 0
	switch d := args["depth"].(type) {
	case int:
		depth = d
	case float64:
		depth = int(d)
	case string:
		if _, err := fmt.Sscan(d, &depth); err != nil {
			return nil, fmt.Errorf("depth should be an integer, got %q", d)
		}
	}
	var match *regexp.Regexp
	if s, ok := args["files_matching"].(string); ok && s != "" {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("invalid files_matching pattern %q: %v", s, err)
		}
		match = re
	}
	ignore := map[string]bool{}
	if l, ok := args["ignore_files"].([]any); ok {
		for _, x := range l {
			ignore[fmt.Sprint(x)] = true
		}
	} else if s, ok := args["ignore_files"].(string); ok {
		ignore[s] = true
	}
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading vars directory %s: %w", root, err)
	}
	sort.Strings(dirs)
	var out []string
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		level := 0
		if rel != "." {
			level = strings.Count(rel, string(filepath.Separator)) + 1
		}
		if depth != 0 && level >= depth {
			continue
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("reading vars directory %s: %w", dir, err)
		}
		for _, e := range ents {
			if e.IsDir() || ignore[e.Name()] {
				continue
			}
			if match != nil && !match.MatchString(e.Name()) {
				continue
			}
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// applyIncludeVars sets include_vars values on the host. They rank just
// below set_fact and registered values (Ansible's vars cache comes before
// its non-persistent fact cache), so a name those already set keeps its
// value; the scope has one layer for both, and incKeys tells them apart.
func (r *runner) applyIncludeVars(hs *hostState, vars map[string]any) {
	for k, v := range vars {
		if _, set := hs.nonpersistent[k]; set && !hs.incKeys[k] {
			continue
		}
		hs.nonpersistent[k] = v
		hs.incKeys[k] = true
	}
}
