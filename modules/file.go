package modules

import (
	"context"
	"fmt"
	"path"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.file", New: func() Module { return fileModule{} }})
}

type fileArgs struct {
	Path     string `arg:"path,dest,name"`
	State    string `arg:"state"`
	Recurse  bool   `arg:"recurse"`
	Src      string `arg:"src"`
	Force    bool   `arg:"force"`
	Follow   *bool  `arg:"follow"`
	ATime    string `arg:"access_time"`
	ATimeFmt string `arg:"access_time_format"`
	MTime    string `arg:"modification_time"`
	MTimeFmt string `arg:"modification_time_format"`
	OrigBase string `arg:"_original_basename"`
	DiffPeek *bool  `arg:"_diff_peek"`
	fileCommon
}

type fileModule struct{}

// Run implements ansible.builtin.file: one probe round trip, then (unless
// nothing is to change, or in check mode) one command that makes the change
// and stats the result.
func (fileModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a fileArgs
	if err := decodeArgs("file", raw, &a); err != nil {
		return failed(err.Error()), nil
	}
	if a.Path == "" {
		return failed("missing required arguments: path"), nil
	}
	if r := a.unsupported(); r != nil {
		return r, nil
	}
	switch a.State {
	case "", "absent", "directory", "file", "hard", "link", "touch":
	default:
		return failed("value of state must be one of: absent, directory, file, hard, link, touch, got: " + a.State), nil
	}
	follow := a.Follow == nil || *a.Follow
	// path and src are "path" arguments: $VAR and ~ expand on the host.
	exp, err := expandArgs(ctx, env, []string{a.Path, a.Src})
	if err != nil {
		return nil, err
	}
	a.Path, a.Src = exp[0], exp[1]
	p := a.Path
	paths := []string{p}
	absSrc := ""
	if a.Src != "" {
		absSrc = a.Src
		if !path.IsAbs(absSrc) {
			absSrc = path.Join(path.Dir(path.Clean(p)), a.Src)
		}
		paths = append(paths, absSrc)
	}
	pr, err := probePaths(ctx, env, paths, false, a.Owner, a.Group)
	if err != nil {
		return nil, err
	}
	st := pr.Stats[0]
	if a.Mode != nil {
		// Refuse a bad mode before changing anything (Ansible may already
		// have created the path when it finds out).
		if err := checkModeSyntax(a.Mode); err != nil {
			me := err.(*modeError)
			r := Result{"failed": true, "changed": false, "msg": me.Msg, "details": me.Details, "path": p}
			if st.Exists {
				statResult(r, st)
			}
			return r, nil
		}
	}
	if follow && st.Type == "link" && (a.State == "file" || a.State == "directory" || a.State == "touch" || a.State == "") {
		// Work on what the link points to, as Ansible does with follow=yes.
		res, err := run(ctx, env, "readlink -f -- "+q(p), nil)
		if err != nil {
			return nil, err
		}
		if t := strings.TrimSpace(string(res.Stdout)); res.RC == 0 && t != "" {
			p2, err := probePaths(ctx, env, []string{t}, false, a.Owner, a.Group)
			if err != nil {
				return nil, err
			}
			if p2.Stats[0].Exists {
				p, st, pr.Stats[0] = t, p2.Stats[0], p2.Stats[0]
			}
		}
	}
	state := a.State
	if state == "" {
		switch {
		case st.Exists:
			state = st.stateName()
		case a.Recurse:
			state = "directory"
		default:
			state = "file"
		}
	}
	if a.Recurse && state != "directory" {
		return Result{"failed": true, "changed": false, "msg": "recurse option requires state to be 'directory'", "path": p}, nil
	}
	if a.Src != "" && state != "link" && state != "hard" {
		return Result{"failed": true, "changed": false, "msg": "src option requires state to be 'link' or 'hard'", "path": p}, nil
	}
	f := &fileRun{env: env, a: a, p: p, st: st, pr: pr, attrs: a.attrs()}
	if (state == "link" || state == "hard") && (a.ATime != "" && a.ATime != "preserve" || a.MTime != "" && a.MTime != "preserve") {
		return failed("gossible does not support access_time/modification_time with state=" + state), nil
	}
	var r Result
	switch state {
	case "absent":
		r, err = f.absent(ctx)
	case "directory":
		r, err = f.directory(ctx)
	case "file":
		r, err = f.file(ctx)
	case "touch":
		r, err = f.touch(ctx)
	case "link":
		r, err = f.link(ctx, absSrc)
	default:
		r, err = f.hard(ctx, absSrc)
	}
	// Ansible adds the path's stat to any result naming an existing path.
	if r != nil && r["failed"] == true && r["path"] == p && r["state"] == nil && st.Exists {
		statResult(r, st)
	}
	return r, err
}

type fileRun struct {
	env   *Env
	a     fileArgs
	p     string
	st    fileStat
	pr    probe
	attrs fileAttrs
}

func newDiff(p string) (before, after map[string]any) {
	return map[string]any{"path": p}, map[string]any{"path": p}
}

// apply runs cmds (already ending in the attribute changes), then stats
// target and returns its stat; in check mode it runs nothing.
func (f *fileRun) apply(ctx context.Context, cmds []string, target string) (fileStat, Result, error) {
	if len(cmds) == 0 || f.env.Check {
		return f.st, nil, nil
	}
	line := strings.Join(cmds, " && ") + " && { " + statCmd([]string{target}, false) + "; }"
	res, err := run(ctx, f.env, line, nil)
	if err != nil {
		return fileStat{}, nil, err
	}
	if res.RC != 0 {
		return fileStat{}, Result{"failed": true, "changed": false, "msg": lastStderrLine(res.Stderr), "path": f.p}, nil
	}
	sts, _, err := parseStats(string(res.Stdout), 1)
	if err != nil {
		return fileStat{}, nil, err
	}
	return sts[0], nil, nil
}

func (f *fileRun) result(changed bool, st fileStat, before, after map[string]any, key string) Result {
	r := Result{"changed": changed, key: f.p}
	if st.Exists {
		statResult(r, st)
	}
	// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
	r["diff"] = map[string]any{"before": before, "after": after}
	return r
}

func (f *fileRun) absent(ctx context.Context) (Result, error) {
	if !f.st.Exists {
		return Result{"changed": false, "path": f.p, "state": "absent"}, nil
	}
	before, after := newDiff(f.p)
	before["state"], after["state"] = f.st.stateName(), "absent"
	if f.st.stateName() == "directory" {
		content, err := pathContent(ctx, f.env, f.p)
		if err != nil {
			return nil, err
		}
		before["path_content"] = content
	}
	if !f.env.Check {
		res, err := run(ctx, f.env, "rm -rf -- "+q(f.p), nil)
		if err != nil {
			return nil, err
		}
		if res.RC != 0 {
			return Result{"failed": true, "changed": false, "msg": "rmtree failed: " + lastStderrLine(res.Stderr)}, nil
		}
	}
	r := Result{"changed": true, "path": f.p, "state": "absent"}
	if f.env.Check {
		// Nothing was removed: Ansible reports the path as it still is.
		statResult(r, f.st)
	}
	// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
	r["diff"] = map[string]any{"before": before, "after": after}
	return r, nil
}

// pathContent is the before.path_content of Ansible's diff for removing a
// directory: the paths under dir as os.walk lists them, top-down, each
// level's directories (symlinks to directories included, not entered) and
// files in directory-read order.
func pathContent(ctx context.Context, env *Env, dir string) (map[string]any, error) {
	line := "find " + q(dir) + ` -mindepth 1 -exec sh -c 'for p; do if [ -d "$p" ]; then printf "d%s\000" "$p"; else printf "f%s\000" "$p"; fi; done' sh {} +`
	res, err := run(ctx, env, line, nil)
	if err != nil {
		return nil, err
	}
	// find lists each directory's entries in read order, depth first.
	children := map[string][]string{}
	isDir := map[string]bool{}
	for _, e := range strings.Split(string(res.Stdout), "\x00") {
		if len(e) < 2 {
			continue
		}
		p := e[1:]
		isDir[p] = e[0] == 'd'
		parent := path.Dir(p)
		children[parent] = append(children[parent], p)
	}
	dirs, files := []any{}, []any{}
	var walk func(d string)
	walk = func(d string) {
		for _, c := range children[d] {
			if isDir[c] {
				dirs = append(dirs, c)
			}
		}
		for _, c := range children[d] {
			if !isDir[c] {
				files = append(files, c)
			}
		}
		for _, c := range children[d] {
			if isDir[c] {
				walk(c)
			}
		}
	}
	walk(path.Clean(dir))
	return map[string]any{"directories": dirs, "files": files}, nil
}

func (f *fileRun) file(ctx context.Context) (Result, error) {
	if !f.st.Exists {
		return Result{"failed": true, "changed": false, "msg": fmt.Sprintf("file (%s) is absent, cannot continue", f.p), "path": f.p, "state": "absent"}, nil
	}
	if s := f.st.stateName(); s != "file" && s != "hard" {
		r := failed(fmt.Sprintf("file (%s) is %s, cannot continue", f.p, s))
		r["path"] = f.p
		statResult(r, f.st)
		return r, nil
	}
	before, after := newDiff(f.p)
	plan, fail := planAttrs(f.p, f.st, f.attrs, f.pr, before, after)
	if fail != nil {
		return fail, nil
	}
	tc, tchanged, fail := f.timeCmds("file", f.st)
	if fail != nil {
		return fail, nil
	}
	cmds := plan.Cmds
	if tchanged {
		cmds = append(cmds, tc...)
	}
	st, fail, err := f.apply(ctx, cmds, f.p)
	if err != nil || fail != nil {
		return fail, err
	}
	return f.result(plan.Changed || tchanged, st, before, after, "path"), nil
}

// defaultStat is how a path created now by the become user would look.
func (f *fileRun) defaultStat(typ string) fileStat {
	m := uint32(0o666)
	if typ == "directory" {
		m = 0o777
	}
	return fileStat{Exists: true, Type: typ, Mode: m &^ f.pr.Umask, UID: f.pr.SelfUID, GID: f.pr.SelfGID}
}

func (f *fileRun) directory(ctx context.Context) (Result, error) {
	before, after := newDiff(f.p)
	if f.st.Exists {
		if f.st.stateName() != "directory" {
			r := failed(fmt.Sprintf("%s already exists as a %s", f.p, f.st.stateName()))
			r["path"] = f.p
			statResult(r, f.st)
			return r, nil
		}
		plan, fail := planAttrs(f.p, f.st, f.attrs, f.pr, before, after)
		if fail != nil {
			return fail, nil
		}
		tc, tchanged, fail := f.timeCmds("directory", f.st)
		if fail != nil {
			return fail, nil
		}
		changed := plan.Changed || tchanged
		cmds := plan.Cmds
		if tchanged {
			cmds = append(cmds, tc...)
		}
		if f.a.Recurse {
			rc, rchanged, fail, err := f.recurse(ctx)
			if err != nil || fail != nil {
				return fail, err
			}
			changed = changed || rchanged
			cmds = append(cmds, rc...)
		}
		st, fail, err := f.apply(ctx, cmds, f.p)
		if err != nil || fail != nil {
			return fail, err
		}
		return f.result(changed, st, before, after, "path"), nil
	}
	before["state"], after["state"] = "absent", "directory"
	// Create each missing component with the requested attributes, as
	// Ansible does for every directory it makes.
	def := f.defaultStat("directory")
	_, fail := planAttrs(f.p, def, f.attrs, f.pr, before, after)
	if fail != nil {
		return fail, nil
	}
	if f.env.Check {
		r := Result{"changed": true, "path": f.p}
		// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
		r["diff"] = map[string]any{"before": before, "after": after}
		return r, nil
	}
	var cmds []string
	for _, dir := range ancestors(f.p) {
		mk := "mkdir -- " + q(dir)
		if dir == f.p && !f.a.Recurse {
			mk = "{ [ -d " + q(dir) + " ] || mkdir -- " + q(dir) + "; }"
		}
		sub, _ := planAttrs(dir, def, f.attrs, f.pr, map[string]any{}, map[string]any{})
		step := mk
		if len(sub.Cmds) > 0 {
			step = "{ " + mk + " && " + strings.Join(sub.Cmds, " && ") + "; }"
		}
		cmds = append(cmds, "{ [ -d "+q(dir)+" ] || "+step+"; }")
	}
	st, fail, err := f.apply(ctx, cmds, f.p)
	if err != nil || fail != nil {
		if fail != nil {
			fail["msg"] = fmt.Sprintf("There was an issue creating %s as requested: %s", f.p, fail["msg"])
		}
		return fail, err
	}
	return f.result(true, st, before, after, "path"), nil
}

// ancestors lists p's components from the root down, p last.
func ancestors(p string) []string {
	var out []string
	for d := p; d != "/" && d != "." && d != ""; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}

// recurse finds whether anything under the directory needs new attributes
// (one find round trip) and returns the recursive commands to fix it.
func (f *fileRun) recurse(ctx context.Context) ([]string, bool, Result, error) {
	if f.attrs.Mode == nil && f.attrs.Owner == "" && f.attrs.Group == "" {
		return nil, false, nil, nil
	}
	res, err := run(ctx, f.env, "find "+q(f.p)+" -mindepth 1 -printf '%u %g %U %G %m %y\\n'", nil)
	if err != nil {
		return nil, false, nil, err
	}
	if res.RC != 0 {
		return nil, false, Result{"failed": true, "changed": false, "msg": fmt.Sprintf("Could not recursively set attributes on %s. Original error was: '%s'", f.p, lastStderrLine(res.Stderr))}, nil
	}
	changed := false
	for _, line := range strings.Split(strings.TrimSpace(string(res.Stdout)), "\n") {
		fs := strings.Fields(line)
		if len(fs) != 6 {
			continue
		}
		var st fileStat
		st.Exists = true
		st.UID, st.GID = parseID(fs[2]), parseID(fs[3])
		st.Mode = uint32(parseOctal(fs[4]))
		switch fs[5] {
		case "d":
			st.Type = "directory"
		case "l":
			st.Type = "link"
		default:
			st.Type = "file"
		}
		plan, fail := planAttrs("", st, f.attrs, f.pr, map[string]any{}, map[string]any{})
		if fail != nil {
			return nil, false, fail, nil
		}
		if plan.Changed {
			changed = true
			break
		}
	}
	if !changed {
		return nil, false, nil, nil
	}
	var cmds []string
	if f.attrs.Owner != "" {
		cmds = append(cmds, fmt.Sprintf("chown -hR %d -- %s", f.pr.UID, q(f.p)))
	}
	if f.attrs.Group != "" {
		cmds = append(cmds, fmt.Sprintf("chgrp -hR %d -- %s", f.pr.GID, q(f.p)))
	}
	if f.attrs.Mode != nil {
		cmds = append(cmds, "chmod -R "+q(chmodArg(f.attrs.Mode))+" -- "+q(f.p))
	}
	return cmds, true, nil, nil
}

// chmodArg renders a mode argument for chmod(1): numbers as octal, symbolic
// modes as given (GNU chmod reads them as Ansible does).
func chmodArg(m any) string {
	switch v := m.(type) {
	case string:
		if n, err := parseOctalStrict(v); err == nil {
			return fmt.Sprintf("%05o", n)
		}
		return v
	case int:
		return fmt.Sprintf("%05o", v)
	case float64:
		return fmt.Sprintf("%05o", int(v))
	}
	return fmt.Sprint(m)
}

func (f *fileRun) touch(ctx context.Context) (Result, error) {
	before, after := newDiff(f.p)
	before["state"], after["state"] = f.st.stateName(), "touch"
	base := f.st
	if !f.st.Exists {
		base = f.defaultStat("file")
	}
	plan, fail := planAttrs(f.p, base, f.attrs, f.pr, before, after)
	if fail != nil {
		return fail, nil
	}
	if f.env.Check {
		r := Result{"changed": true, "dest": f.p}
		// Ansible returns the diff whether or not --diff is on; the callback
		// shows it only then. A missing file returns early, with no diff.
		if f.st.Exists {
			r["diff"] = map[string]any{"before": before, "after": after}
		}
		return r, nil
	}
	tc, _, fail := f.timeCmds("touch", base)
	if fail != nil {
		return fail, nil
	}
	// Create it if missing (with no time change of its own), then times.
	cmds := append([]string{"{ [ -e " + q(f.p) + " ] || { : >> " + q(f.p) + "; }; }"}, plan.Cmds...)
	cmds = append(cmds, tc...)
	st, fail, err := f.apply(ctx, cmds, f.p)
	if err != nil || fail != nil {
		if fail != nil {
			fail["msg"] = "Error, could not touch target: " + fmt.Sprint(fail["msg"])
		}
		return fail, err
	}
	if len(tc) > 0 {
		// Ansible's touch records the times it replaced; for a new file,
		// those of the file it has just created.
		prev := f.st
		if !prev.Exists {
			prev = st
		}
		before["atime"], before["mtime"] = prev.Atime, prev.Mtime
		after["atime"], after["mtime"] = st.Atime, st.Mtime
	}
	return f.result(true, st, before, after, "dest"), nil
}

func (f *fileRun) link(ctx context.Context, absSrc string) (Result, error) {
	src := f.a.Src
	prev := f.st.stateName()
	if src != "" && !f.a.Force && !f.pr.Stats[1].Exists {
		return Result{"failed": true, "changed": false, "msg": `src file does not exist, use "force=yes" if you really want to create the link: ` + absSrc, "path": f.p, "src": src}, nil
	}
	switch {
	case prev == "directory" && !f.a.Force, (prev == "file" || prev == "hard") && !f.a.Force:
		return Result{"failed": true, "changed": false, "msg": fmt.Sprintf("refusing to convert from %s to symlink for %s", prev, f.p), "path": f.p}, nil
	}
	before, after := newDiff(f.p)
	changed := false
	switch prev {
	case "link":
		if src != "" && f.st.Target != src {
			before["src"], after["src"] = f.st.Target, src
			changed = true
		}
	default:
		if src == "" {
			return failed("src is required for creating new symlinks"), nil
		}
		before["state"], after["state"] = prev, "link"
		changed = true
	}
	var cmds []string
	if changed {
		tmp := path.Join(path.Dir(f.p), "."+randName()+".tmp")
		rm := ""
		if prev == "directory" {
			rm = "rmdir -- " + q(f.p) + " && "
		}
		cmds = append(cmds, rm+"ln -s -- "+q(src)+" "+q(tmp)+" && { mv -Tf -- "+q(tmp)+" "+q(f.p)+" || { rm -f -- "+q(tmp)+"; false; }; }")
	}
	// Owner and group of a link are the link's own (chown -h).
	lst := f.st
	if !f.st.Exists || changed {
		lst = fileStat{Exists: true, Type: "link", UID: f.pr.SelfUID, GID: f.pr.SelfGID}
	}
	attrs := f.attrs
	attrs.Mode = nil
	plan, fail := planAttrs(f.p, lst, attrs, f.pr, before, after)
	if fail != nil {
		return fail, nil
	}
	r, st, err := f.applyLink(ctx, append(cmds, plan.Cmds...), changed || plan.Changed, src, before, after)
	if st == nil {
		return r, err
	}
	if src == "" {
		src = st.Target
	}
	r["src"] = src
	return r, nil
}

// applyLink runs a link's commands and builds its result; st is nil when r is
// already final (check mode, or a failure, whose msg names the linking).
func (f *fileRun) applyLink(ctx context.Context, cmds []string, changed bool, src string, before, after map[string]any) (r Result, st *fileStat, err error) {
	if f.env.Check {
		r := Result{"changed": changed, "dest": f.p, "src": src}
		// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
		r["diff"] = map[string]any{"before": before, "after": after}
		return r, nil, nil
	}
	applied, fail, err := f.apply(ctx, cmds, f.p)
	if err != nil || fail != nil {
		if fail != nil {
			fail["msg"] = "Error while linking: " + fmt.Sprint(fail["msg"])
		}
		return fail, nil, err
	}
	return f.result(changed, applied, before, after, "dest"), &applied, nil
}

func (f *fileRun) hard(ctx context.Context, absSrc string) (Result, error) {
	src := f.a.Src
	prev := f.st.stateName()
	if prev != "hard" && src == "" {
		return failed("src is required for creating new hardlinks"), nil
	}
	if src != "" && !f.pr.Stats[1].Exists {
		return Result{"failed": true, "changed": false, "msg": "src does not exist", "dest": f.p, "src": src}, nil
	}
	before, after := newDiff(f.p)
	changed := false
	if src != "" {
		same, err := sameFile(ctx, f.env, f.p, absSrc)
		if err != nil {
			return nil, err
		}
		switch {
		case prev == "absent":
			changed = true
		case prev == "link":
			before["src"], after["src"] = f.st.Target, src
			changed = true
		case same:
		case prev == "hard" && !f.a.Force:
			return Result{"failed": true, "changed": false, "msg": "Cannot link, different hard link exists at destination", "dest": f.p, "src": src}, nil
		case prev == "file" && !f.a.Force:
			return Result{"failed": true, "changed": false, "msg": "Cannot link, file exists at destination", "dest": f.p, "src": src}, nil
		case prev == "directory" && !f.a.Force:
			return Result{"failed": true, "changed": false, "msg": "Cannot link: different hard link exists at destination", "dest": f.p, "src": src}, nil
		default:
			changed = true
		}
	}
	if changed {
		before["state"], after["state"] = prev, "hard"
	}
	var cmds []string
	if changed {
		tmp := path.Join(path.Dir(f.p), "."+randName()+".tmp")
		cmds = append(cmds, "ln -- "+q(absSrc)+" "+q(tmp)+" && { mv -Tf -- "+q(tmp)+" "+q(f.p)+" || { rm -f -- "+q(tmp)+"; false; }; }")
	}
	base := f.st
	if changed {
		base = f.pr.Stats[1]
	}
	plan, fail := planAttrs(f.p, base, f.attrs, f.pr, before, after)
	if fail != nil {
		return fail, nil
	}
	r, st, err := f.applyLink(ctx, append(cmds, plan.Cmds...), changed || plan.Changed, src, before, after)
	if st == nil {
		return r, err
	}
	r["src"] = src
	r["state"] = "hard"
	return r, nil
}

// sameFile reports whether a and b are the same inode on the host.
func sameFile(ctx context.Context, env *Env, a, b string) (bool, error) {
	res, err := run(ctx, env, "[ "+q(a)+" -ef "+q(b)+" ]", nil)
	if err != nil {
		return false, err
	}
	return res.RC == 0, nil
}

func parseOctal(s string) uint64 {
	n, _ := parseOctalStrict(s)
	return n
}

func parseOctalStrict(s string) (uint64, error) {
	var n uint64
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	for _, c := range s {
		if c < '0' || c > '7' {
			return 0, fmt.Errorf("not octal: %q", s)
		}
		n = n*8 + uint64(c-'0')
	}
	return n, nil
}
