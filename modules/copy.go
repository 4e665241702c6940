package modules

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.copy", New: func() Module { return copyModule{} }})
}

type copyArgs struct {
	Src           *string `arg:"src"`
	Content       *string `arg:"content"`
	Dest          string  `arg:"dest"`
	DirectoryMode any     `arg:"directory_mode"`
	Backup        bool    `arg:"backup"`
	Force         *bool   `arg:"force"`
	RemoteSrc     bool    `arg:"remote_src"`
	Checksum      string  `arg:"checksum"`
	Validate      string  `arg:"validate"`
	Follow        bool    `arg:"follow"`
	LocalFollow   *bool   `arg:"local_follow"`
	OrigBase      string  `arg:"_original_basename"`
	Decrypt       *bool   `arg:"decrypt" hide:"1"`
	fileCommon
}

// maxDiffSize is Ansible's default max_diff_size: larger files get no text diff.
const maxDiffSize = 104448

type copyModule struct{}

// Run implements ansible.builtin.copy (action plugin and module in one):
// the source is read on the controller, compared by sha1 with the host's
// file in one probe round trip, uploaded as the login user into RemoteTmp
// and moved into place under become through a temporary name in the
// destination directory, so the file is never seen half-written.
func (copyModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a copyArgs
	if err := decodeArgs("ansible.legacy.copy", raw, &a); err != nil {
		r := failed(err.Error())
		// The action plugin has summed the content before the module fails.
		if s, ok := raw["content"].(string); ok {
			r["checksum"] = sha1hex([]byte(s))
		}
		return r, nil
	}
	switch {
	case a.Src == nil && a.Content == nil:
		return failed("src (or content) is required"), nil
	case a.Dest == "":
		return failed("dest is required"), nil
	case a.Src != nil && a.Content != nil:
		return failed("src and content are mutually exclusive"), nil
	case a.Content != nil && strings.HasSuffix(a.Dest, "/"):
		return failed("can not use content with a dir as dest"), nil
	}
	if r := a.unsupported(); r != nil {
		return r, nil
	}
	for _, m := range []any{a.Mode, a.DirectoryMode} {
		if m == nil || m == "preserve" {
			continue
		}
		if err := checkModeSyntax(m); err != nil {
			me := err.(*modeError)
			return Result{"failed": true, "changed": false, "msg": me.Msg, "details": me.Details}, nil
		}
	}
	if a.Validate != "" && !strings.Contains(a.Validate, "%s") {
		return failed("validate must contain %s: " + a.Validate), nil
	}
	if a.LocalFollow != nil && !*a.LocalFollow {
		return failed("gossible does not support local_follow=no (symlinks in src are always followed)"), nil
	}
	// dest (and a remote src) are "path" arguments: $VAR and ~ expand on the host.
	exp, err := expandArgs(ctx, env, []string{a.Dest})
	if err != nil {
		return nil, err
	}
	a.Dest = exp[0]
	if a.RemoteSrc && a.Src != nil {
		if exp, err = expandArgs(ctx, env, []string{*a.Src}); err != nil {
			return nil, err
		}
		a.Src = &exp[0]
	}
	c := &copyRun{env: env, a: a, force: a.Force == nil || *a.Force}
	if a.RemoteSrc {
		if a.Src == nil {
			return failed("src (or content) is required"), nil
		}
		return c.remote(ctx)
	}
	var src source
	if a.Content != nil {
		src = source{data: []byte(*a.Content), name: contentSourceName(), content: true, mode: 0o644}
	} else {
		local, err := c.find(*a.Src)
		if err != nil {
			return failed(err.Error()), nil
		}
		fi, err := os.Stat(local)
		if err != nil {
			return failed(fmt.Sprintf("Could not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", *a.Src)), nil
		}
		if fi.IsDir() {
			return c.directory(ctx, local, strings.HasSuffix(*a.Src, "/"))
		}
		data, err := os.ReadFile(local)
		if err != nil {
			return failed(fmt.Sprintf("could not read source file %s: %v", local, err)), nil
		}
		src = source{data: data, name: local, mode: uint32(fi.Mode().Perm())}
	}
	return c.single(ctx, src, a.Dest)
}

type source struct {
	data    []byte
	name    string // controller path, or contentSourceName()
	content bool   // from content=, not a file
	mode    uint32 // for mode=preserve
}

// contentSourceName is the source Ansible reports for content= (the diff's
// after_header, a force=no result's src): its action plugin first writes
// the text to a controller temporary file under
// ~/.ansible/tmp/ansible-local-<pid>.... gossible keeps the text in memory
// and reports a name of that shape.
func contentSourceName() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "~"
	}
	return path.Join(home, ".ansible", "tmp", "ansible-local-"+strconv.Itoa(os.Getpid()), "content")
}

type copyRun struct {
	env   *Env
	a     copyArgs
	force bool
}

// find resolves src on the controller as Ansible's action plugin does.
func (c *copyRun) find(src string) (string, error) {
	clean := strings.TrimSuffix(src, "/")
	if clean == "" {
		clean = "/"
	}
	if path.IsAbs(clean) {
		return clean, nil
	}
	if c.env.FindFile == nil {
		return "", fmt.Errorf("Could not find or access '%s': no search path for files on the controller", src)
	}
	p, err := c.env.FindFile("files", clean)
	if err != nil {
		msg := err.Error()
		if !strings.Contains(msg, "remote_src") {
			msg += "\nIf you are using a module and expect the file to exist on the remote, see the remote_src option"
		}
		return "", errors.New(msg)
	}
	return p, nil
}

func (c *copyRun) attrs(mode any, srcMode uint32) fileAttrs {
	if mode == "preserve" {
		mode = int(srcMode)
	}
	return fileAttrs{Mode: mode, Owner: c.a.Owner, Group: c.a.Group}
}

func sha1hex(b []byte) string { s := sha1.Sum(b); return hex.EncodeToString(s[:]) }
func md5hex(b []byte) string  { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// single copies one controller file (or content) to dest.
func (c *copyRun) single(ctx context.Context, src source, dest string) (Result, error) {
	sum := sha1hex(src.data)
	if c.a.Checksum != "" && c.a.Checksum != sum {
		return Result{"failed": true, "changed": false, "checksum": sum,
			"msg": fmt.Sprintf("Copied file does not match the expected checksum. Transfer failed.")}, nil
	}
	base := path.Base(src.name)
	if c.a.OrigBase != "" {
		base = c.a.OrigBase
	}
	slash := strings.HasSuffix(dest, "/")
	dclean := path.Clean(dest)
	pr, err := probePaths(ctx, c.env, []string{dclean, path.Join(dclean, base), path.Dir(dclean)}, true, c.a.Owner, c.a.Group)
	if err != nil {
		return nil, err
	}
	final, st, parent := dclean, pr.Stats[0], pr.Stats[2]
	if slash || (st.Exists && st.ToDir) {
		if src.content {
			return Result{"failed": true, "changed": false, "msg": "can not use content with a dir as dest"}, nil
		}
		final, st, parent = path.Join(dclean, base), pr.Stats[1], pr.Stats[0]
	}
	if c.a.Follow && st.Type == "link" && st.Resolved != "" {
		// follow=yes: write through the link to the file it points to.
		p2, err := probePaths(ctx, c.env, []string{st.Resolved, path.Dir(st.Resolved)}, true, c.a.Owner, c.a.Group)
		if err != nil {
			return nil, err
		}
		final, st, parent, pr = st.Resolved, p2.Stats[0], p2.Stats[1], p2
	}
	mkParent := false
	if !parent.Exists {
		if !slash && !c.env.Check {
			return Result{"failed": true, "changed": false, "checksum": sum, "msg": fmt.Sprintf("Destination directory %s does not exist", path.Dir(final))}, nil
		}
		mkParent = true
	}
	attrs := c.attrs(c.a.Mode, src.mode)
	if st.Exists && st.Checksum == sum {
		return c.attrsOnly(ctx, final, st, pr, attrs, sum)
	}
	if st.Exists && !c.force {
		return Result{"changed": false, "dest": final, "src": src.name}, nil
	}
	diff := []any{}
	if c.env.Diff {
		d, err := c.textDiff(ctx, final, st, src)
		if err != nil {
			return nil, err
		}
		if d != nil {
			diff = append(diff, d)
		}
	}
	if c.env.Check {
		r := Result{"changed": true}
		// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
		r["diff"] = diff
		return r, nil
	}
	upload, err := uploadPath(c.env)
	if err != nil {
		return nil, err
	}
	if err := c.env.Conn.Upload(ctx, bytes.NewReader(src.data), upload, 0o600); err != nil {
		return nil, fmt.Errorf("upload %s: %w", final, err)
	}
	var pre []string
	if mkParent {
		pre = append(pre, c.mkdirs(path.Dir(final), pr)...)
	}
	w, fail := c.writeCmd(upload, final, st, pr, attrs, "cat -- "+q(upload))
	if fail != nil {
		return fail, nil
	}
	line := strings.Join(append(pre, w), " && ") + "; rc=$?; rm -f -- " + q(upload) + "; [ $rc = 0 ] && " + statCmd([]string{final}, false)
	res, err := run(ctx, c.env, line, nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return c.writeFailure(res.Stdout, res.Stderr, final, sum), nil
	}
	backup, out := splitBackup(string(res.Stdout))
	sts, _, err := parseStats(out, 1)
	if err != nil {
		return nil, err
	}
	r := Result{"changed": true, "checksum": sum, "dest": final, "md5sum": md5hex(src.data), "src": upload}
	statResult(r, sts[0])
	if backup != "" {
		r["backup_file"] = backup
	}
	// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
	r["diff"] = diff
	return r, nil
}

// writeFailure turns a failed write command into Ansible's message.
func (c *copyRun) writeFailure(stdout, stderr []byte, final, sum string) Result {
	if i := bytes.Index(stdout, []byte("VALIDATE-FAILED\n")); i >= 0 {
		out := string(stdout[:i])
		return Result{"failed": true, "changed": false, "checksum": sum, "exit_status": 1,
			"msg": "failed to validate", "stdout": out, "stdout_lines": lines(out),
			"stderr": string(stderr), "stderr_lines": lines(string(stderr))}
	}
	return Result{"failed": true, "changed": false, "checksum": sum, "msg": fmt.Sprintf("failed to write %s: %s", final, lastStderrLine(stderr))}
}

// splitBackup separates the "BACKUP:" line the write command prints.
func splitBackup(out string) (string, string) {
	if rest, ok := strings.CutPrefix(out, "BACKUP:"); ok {
		b, tail, _ := strings.Cut(rest, "\n")
		return b, tail
	}
	return "", out
}

// writeCmd builds the become-side command that fills a temporary file in
// final's directory from produce (a command writing the content to stdout),
// gives it the old file's or the wanted attributes, validates it, backs up
// the old file and renames it into place.
func (c *copyRun) writeCmd(upload, final string, st fileStat, pr probe, attrs fileAttrs, produce string) (string, Result) {
	tmp := path.Join(path.Dir(final), ".gossible."+randName()+".tmp")
	base := st
	if !st.Exists || st.Type != "file" {
		base = fileStat{Exists: true, Type: "file", Mode: 0o666 &^ pr.Umask, UID: pr.SelfUID, GID: pr.SelfGID}
	}
	plan, fail := planAttrs(tmp, base, attrs, pr, map[string]any{}, map[string]any{})
	if fail != nil {
		fail["path"] = final
		return "", fail
	}
	cmds := []string{"umask " + fmt.Sprintf("%04o", pr.Umask), produce + " > " + q(tmp)}
	if st.Exists && st.Type == "file" {
		// Keep the replaced file's owner and mode, as Ansible's atomic move does.
		cmds = append(cmds, "chmod --reference="+q(final)+" -- "+q(tmp), "{ chown --reference="+q(final)+" -- "+q(tmp)+" 2>/dev/null || true; }")
	}
	cmds = append(cmds, plan.Cmds...)
	if c.a.Validate != "" {
		v := strings.ReplaceAll(c.a.Validate, "%s", q(tmp))
		cmds = append(cmds, "{ "+v+" || { echo VALIDATE-FAILED; false; }; }")
	}
	if c.a.Backup && st.Exists {
		b := `b=` + q(final) + `.$$.$(date +%Y-%m-%d@%H:%M:%S~) && cp -p -- ` + q(final) + ` "$b" && echo "BACKUP:$b"`
		cmds = append(cmds, b)
	}
	cmds = append(cmds, "mv -f -- "+q(tmp)+" "+q(final))
	return "{ " + strings.Join(cmds, " && ") + " || { rm -f -- " + q(tmp) + "; false; }; }", nil
}

// mkdirs creates dir and its missing parents with directory_mode, owner
// and group, as Ansible does when dest ends in "/".
func (c *copyRun) mkdirs(dir string, pr probe) []string {
	def := fileStat{Exists: true, Type: "directory", Mode: 0o777 &^ pr.Umask, UID: pr.SelfUID, GID: pr.SelfGID}
	var cmds []string
	for _, d := range ancestors(path.Clean(dir)) {
		plan, _ := planAttrs(d, def, fileAttrs{Mode: c.a.DirectoryMode, Owner: c.a.Owner, Group: c.a.Group}, pr, map[string]any{}, map[string]any{})
		step := "mkdir -- " + q(d)
		if len(plan.Cmds) > 0 {
			step = "{ " + step + " && " + strings.Join(plan.Cmds, " && ") + "; }"
		}
		cmds = append(cmds, "{ [ -d "+q(d)+" ] || "+step+"; }")
	}
	return cmds
}

// attrsOnly handles a destination whose content already matches: only the
// attributes may change, and the result is the file module's.
func (c *copyRun) attrsOnly(ctx context.Context, final string, st fileStat, pr probe, attrs fileAttrs, sum string) (Result, error) {
	before, after := newDiff(final)
	plan, fail := planAttrs(final, st, attrs, pr, before, after)
	if fail != nil {
		fail["checksum"] = sum
		statResult(fail, st)
		return fail, nil
	}
	if plan.Changed && !c.env.Check {
		line := strings.Join(plan.Cmds, " && ") + " && { " + statCmd([]string{final}, false) + "; }"
		res, err := run(ctx, c.env, line, nil)
		if err != nil {
			return nil, err
		}
		if res.RC != 0 {
			return Result{"failed": true, "changed": false, "msg": lastStderrLine(res.Stderr), "path": final}, nil
		}
		sts, _, err := parseStats(string(res.Stdout), 1)
		if err != nil {
			return nil, err
		}
		st = sts[0]
	}
	r := Result{"changed": plan.Changed, "checksum": sum, "dest": final, "path": final}
	statResult(r, st)
	// Ansible returns the diff whether or not --diff is on; the callback shows it only then.
	r["diff"] = map[string]any{"before": before, "after": after}
	return r, nil
}

// textDiff is Ansible's diff entry for a content change.
func (c *copyRun) textDiff(ctx context.Context, final string, st fileStat, src source) (map[string]any, error) {
	d := map[string]any{"after_header": src.name}
	if st.Exists {
		d["before_header"] = final
		if st.Size > maxDiffSize {
			return map[string]any{"dst_larger": maxDiffSize}, nil
		}
		old, err := readRemote(ctx, c.env, final)
		if err != nil {
			return nil, err
		}
		if !isText(old) {
			return map[string]any{"dst_binary": 1}, nil
		}
		d["before"] = string(old)
	} else {
		d["before"] = ""
	}
	if len(src.data) > maxDiffSize {
		return map[string]any{"src_larger": maxDiffSize}, nil
	}
	if !isText(src.data) {
		return map[string]any{"src_binary": 1}, nil
	}
	d["after"] = string(src.data)
	return d, nil
}

// lines splits command output as Ansible's *_lines keys do.
func lines(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(strings.ReplaceAll(strings.TrimRight(s, "\n"), "\r\n", "\n"), "\n")
}
