package modules

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
)

// This file holds what lineinfile, replace and blockinfile share: the file
// is stated and read on the host (under become) in two round trips, edited
// in Go, uploaded as the login user into RemoteTmp and moved into place by
// one become-side command through a temporary file in the target's
// directory, so the file is never seen half-written and a failure (of the
// validate command, say) leaves the previous one.

// editFile is a text file on the host, as the editing modules see it.
type editFile struct {
	path   string   // as given (messages, diff headers, backups)
	real   string   // where the content lives: path with symlinks resolved
	st     fileStat // of real
	parent fileStat // of real's directory
	pr     probe
	exists bool // os.path.exists: a dangling link does not
	isDir  bool
	data   []byte // the content when exists
}

// openEdit stats p and reads it when it is a readable file. owner/group
// are resolved to ids for the attribute plan.
func openEdit(ctx context.Context, env *Env, p, owner, group string) (*editFile, error) {
	f := &editFile{path: p, real: p}
	pr, err := probePaths(ctx, env, []string{p, path.Dir(p)}, false, owner, group)
	if err != nil {
		return nil, err
	}
	f.st, f.parent = pr.Stats[0], pr.Stats[1]
	if f.st.Type == "link" {
		target := f.st.Resolved
		if target == "" {
			res, err := run(ctx, env, "readlink -m -- "+q(p), nil)
			if err != nil {
				return nil, err
			}
			target = strings.TrimSuffix(string(res.Stdout), "\n")
		}
		if target != "" {
			f.real = target
			p2, err := probePaths(ctx, env, []string{target, path.Dir(target)}, false, owner, group)
			if err != nil {
				return nil, err
			}
			pr.Stats = p2.Stats
			f.st, f.parent = p2.Stats[0], p2.Stats[1]
		}
	}
	f.pr = pr
	f.exists = f.st.Exists && f.st.Type != "link"
	f.isDir = f.st.Exists && f.st.ToDir
	if f.exists && !f.isDir {
		res, err := run(ctx, env, "cat -- "+q(f.real), nil)
		if err != nil {
			return nil, err
		}
		if res.RC != 0 {
			return nil, fmt.Errorf("read %s: %s", f.real, lastStderrLine(res.Stderr))
		}
		f.data = res.Stdout
	}
	return f, nil
}

// editArgs are the arguments lineinfile, replace and blockinfile share;
// each embeds it in its own args struct.
type editArgs struct {
	Path     string `arg:"path,dest,destfile,name"` // required: editPathSpec
	Backup   bool   `arg:"backup"`
	Validate string `arg:"validate"`
	fileCommon
}

// editPathSpec is editArgs.Path's names for requireArgs.
const editPathSpec = "path,dest,destfile,name"

func (e *editArgs) opts() editOpts {
	return editOpts{attrs: e.attrs(), validate: e.Validate, backup: e.Backup}
}

// open expands Path on the host ($VAR and ~, as for Ansible's path
// arguments) and opens it; a directory is Ansible's rc 256 failure.
func (e *editArgs) open(ctx context.Context, env *Env) (*editFile, Result, error) {
	exp, err := expandArgs(ctx, env, []string{e.Path})
	if err != nil {
		return nil, nil, err
	}
	e.Path = exp[0]
	f, err := openEdit(ctx, env, e.Path, e.Owner, e.Group)
	if err != nil {
		return nil, nil, err
	}
	if f.isDir {
		return nil, pathRC(fmt.Sprintf("Path %s is a directory !", e.Path), 256), nil
	}
	return f, nil, nil
}

// editOpts are the file arguments the editing modules share.
type editOpts struct {
	attrs    fileAttrs
	validate string
	backup   bool
}

// checkEditOpts refuses a bad mode or validate before anything is read.
func checkEditOpts(o editOpts) Result {
	if o.attrs.Mode != nil {
		if err := checkModeSyntax(o.attrs.Mode); err != nil {
			me := err.(*modeError)
			return Result{"failed": true, "changed": false, "msg": me.Msg, "details": me.Details}
		}
	}
	return nil
}

// write puts data in place of f's content (creating it and its directory
// when absent), with f's mode and owner or the defaults for a new file,
// then o.attrs. It fills the attribute diff maps and says whether the
// attributes changed. A failure the task reports comes back as a Result.
func (f *editFile) write(ctx context.Context, env *Env, data []byte, o editOpts, before, after map[string]any) (backup string, attrsChanged bool, fail Result, err error) {
	if o.validate != "" && !strings.Contains(o.validate, "%s") {
		return "", false, failed("validate must contain %s: " + o.validate), nil
	}
	tmp := path.Join(path.Dir(f.real), ".gossible."+randName()+".tmp")
	base := f.st
	if !f.exists {
		base = fileStat{Exists: true, Type: "file", Mode: 0o666 &^ f.pr.Umask, UID: f.pr.SelfUID, GID: f.pr.SelfGID}
	}
	plan, fail := planAttrs(tmp, base, o.attrs, f.pr, before, after)
	if fail != nil {
		fail["path"] = f.path
		return "", false, fail, nil
	}
	if env.Check {
		return "", plan.Changed, nil, nil
	}
	upload, err := uploadPath(env)
	if err != nil {
		return "", false, nil, err
	}
	if err := env.Conn.Upload(ctx, bytes.NewReader(data), upload, 0o600); err != nil {
		return "", false, nil, fmt.Errorf("upload %s: %w", f.real, err)
	}
	cmds := []string{fmt.Sprintf("umask %04o", f.pr.Umask)}
	if !f.parent.Exists {
		cmds = append(cmds, "mkdir -p -- "+q(path.Dir(f.real)))
	}
	cmds = append(cmds, "cat -- "+q(upload)+" > "+q(tmp))
	if f.exists {
		// Keep the replaced file's owner and mode, as Ansible's atomic move does.
		cmds = append(cmds, "chmod --reference="+q(f.real)+" -- "+q(tmp), "{ chown --reference="+q(f.real)+" -- "+q(tmp)+" 2>/dev/null || true; }")
	}
	cmds = append(cmds, plan.Cmds...)
	if o.validate != "" {
		v := strings.ReplaceAll(o.validate, "%s", q(tmp))
		cmds = append(cmds, "{ "+v+" 2>&1 >/dev/null; r=$?; printf '\\nVALIDATE-RC:%s\\n' $r; [ $r = 0 ]; }")
	}
	if o.backup && f.exists {
		cmds = append(cmds, `b=`+q(f.path)+`.$$.$(date +%Y-%m-%d@%H:%M:%S~) && cp -p -- `+q(f.path)+` "$b" && echo "BACKUP:$b"`)
	}
	cmds = append(cmds, "mv -f -- "+q(tmp)+" "+q(f.real))
	line := "{ " + strings.Join(cmds, " && ") + " || { rm -f -- " + q(tmp) + "; false; }; }; rc=$?; rm -f -- " + q(upload) + "; [ $rc = 0 ]"
	res, err := run(ctx, env, line, nil)
	if err != nil {
		return "", false, nil, err
	}
	out := string(res.Stdout)
	if i := strings.LastIndex(out, "\nVALIDATE-RC:"); i >= 0 {
		rcText, rest, _ := strings.Cut(out[i+len("\nVALIDATE-RC:"):], "\n")
		if rcText != "0" {
			return "", false, failed(fmt.Sprintf("failed to validate: rc:%s error:%s", rcText, out[:i])), nil
		}
		out = rest
	}
	if res.RC != 0 {
		return "", false, failed(fmt.Sprintf("failed to write %s: %s", f.real, lastStderrLine(res.Stderr))), nil
	}
	backup, _ = splitBackup(out)
	return backup, plan.Changed, nil, nil
}

// setAttrs applies o.attrs to an existing file whose content stays.
func (f *editFile) setAttrs(ctx context.Context, env *Env, o editOpts, before, after map[string]any) (bool, Result, error) {
	if !f.exists {
		return false, nil, nil
	}
	plan, fail := planAttrs(f.real, f.st, o.attrs, f.pr, before, after)
	if fail != nil {
		fail["path"] = f.path
		return false, fail, nil
	}
	if !plan.Changed || env.Check {
		return plan.Changed, nil, nil
	}
	res, err := run(ctx, env, strings.Join(plan.Cmds, " && "), nil)
	if err != nil {
		return false, nil, err
	}
	if res.RC != 0 {
		return false, Result{"failed": true, "changed": false, "msg": lastStderrLine(res.Stderr), "path": f.path}, nil
	}
	return true, nil, nil
}

// attrsChangedMsg appends Ansible's note about changed attributes.
func attrsChangedMsg(msg string) string {
	if msg != "" {
		msg += " and "
	}
	return msg + "ownership, perms or SE linux context changed"
}

// contentDiff and attrDiff are the two entries of the diff list lineinfile
// and blockinfile return (Ansible returns them whether or not --diff is
// on; the texts are filled only with --diff).
func contentDiff(p string) map[string]any {
	return map[string]any{"before": "", "after": "", "before_header": p + " (content)", "after_header": p + " (content)"}
}

func attrDiff(p string, before, after map[string]any) map[string]any {
	d := map[string]any{"before_header": p + " (file attributes)", "after_header": p + " (file attributes)"}
	if len(before) > 0 {
		d["before"] = before
	}
	if len(after) > 0 {
		d["after"] = after
	}
	return d
}

// committed is what commit reports, as the editing modules return it.
type committed struct {
	changed  bool
	msg      string
	backup   string         // the backup's name, "" for none
	attrDiff map[string]any // the second entry of the diff list (attrDiff)
}

// commit applies data (when changed) and the file attributes. A non-nil
// Result is a failure to return as it is.
func (f *editFile) commit(ctx context.Context, env *Env, changed bool, msg string, data []byte, o editOpts) (committed, Result, error) {
	before, after := map[string]any{}, map[string]any{}
	var backup string
	var attrs bool
	var fail Result
	var err error
	if changed {
		backup, attrs, fail, err = f.write(ctx, env, data, o, before, after)
	} else {
		attrs, fail, err = f.setAttrs(ctx, env, o, before, after)
	}
	if fail != nil || err != nil {
		return committed{}, fail, err
	}
	if attrs {
		msg = attrsChangedMsg(msg)
		changed = true
	}
	return committed{changed: changed, msg: msg, backup: backup, attrDiff: attrDiff(f.path, before, after)}, nil, nil
}

// parseArgs starts a module's Run as Ansible's argument spec does: the
// required arguments (requireArgs), then decodeArgs into dst. A non-nil
// Result is the task's failure.
func parseArgs(module string, raw map[string]any, dst any, required ...string) Result {
	if r := requireArgs(raw, required...); r != nil {
		return r
	}
	if err := decodeArgs(module, raw, dst); err != nil {
		return failed(err.Error())
	}
	return nil
}

// presentOrAbsent defaults a state argument to present and checks it.
func presentOrAbsent(state *string) Result {
	if *state == "" {
		*state = "present"
	}
	return choice("state", *state, "absent", "present")
}

// requireArgs is Ansible's required-arguments check, which comes before
// the unknown-parameter one: each entry is "name,alias...".
func requireArgs(raw map[string]any, specs ...string) Result {
	var missing []string
	for _, spec := range specs {
		names := strings.Split(spec, ",")
		found := false
		for _, n := range names {
			if _, ok := raw[n]; ok {
				found = true
			}
		}
		if !found {
			missing = append(missing, names[0])
		}
	}
	if len(missing) > 0 {
		return failed("missing required arguments: " + strings.Join(missing, ", "))
	}
	return nil
}

// exclusive is Ansible's mutually_exclusive check over raw args.
func exclusive(raw map[string]any, groups ...[]string) Result {
	for _, g := range groups {
		n := 0
		for _, k := range g {
			if v, ok := raw[k]; ok && v != nil {
				n++
			}
		}
		if n > 1 {
			return failed("parameters are mutually exclusive: " + strings.Join(g, "|"))
		}
	}
	return nil
}

// choice checks a choices argument.
func choice(name, v string, choices ...string) Result {
	for _, c := range choices {
		if v == c {
			return nil
		}
	}
	return failed(fmt.Sprintf("value of %s must be one of: %s, got: %s", name, strings.Join(choices, ", "), v))
}

// pathRC is a failed result with Ansible's rc for a path problem.
func pathRC(msg string, rc int) Result {
	r := failed(msg)
	r["rc"] = rc
	return r
}
