package modules

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// localTree is a controller directory flattened: directories and files by
// path relative to the copy's root on the host.
type localTree struct {
	dirs  []string
	files []localFile
}

type localFile struct {
	rel  string
	abs  string
	sum  string
	mode uint32
}

// walkLocal lists root (following symlinks, as local_follow=yes does). With
// contents false, paths start with root's own name ("ui" copies the
// directory itself); with contents true they are relative to it ("ui/").
func walkLocal(root string, contents bool) (localTree, error) {
	var t localTree
	prefix := ""
	if !contents {
		prefix = filepath.Base(root)
		t.dirs = append(t.dirs, prefix)
	}
	var walk func(dir, rel string) error
	walk = func(dir, rel string) error {
		ents, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range ents {
			abs := filepath.Join(dir, e.Name())
			r := path.Join(rel, e.Name())
			fi, err := os.Stat(abs)
			if err != nil {
				return err
			}
			if fi.IsDir() {
				t.dirs = append(t.dirs, r)
				if err := walk(abs, r); err != nil {
					return err
				}
				continue
			}
			if !fi.Mode().IsRegular() {
				continue
			}
			data, err := os.ReadFile(abs)
			if err != nil {
				return err
			}
			t.files = append(t.files, localFile{rel: r, abs: abs, sum: sha1hex(data), mode: uint32(fi.Mode().Perm())})
		}
		return nil
	}
	if err := walk(root, prefix); err != nil {
		return t, err
	}
	sort.Strings(t.dirs)
	return t, nil
}

// directory copies a controller directory: one probe of every target path,
// one upload per changed file, one command that creates directories and
// moves every file into place.
func (c *copyRun) directory(ctx context.Context, local string, contents bool) (Result, error) {
	tree, err := walkLocal(local, contents)
	if err != nil {
		return failed(fmt.Sprintf("could not read source directory %s: %v", local, err)), nil
	}
	srcShown := local
	if contents {
		srcShown += "/"
	}
	dest := path.Clean(c.a.Dest)
	if contents && len(tree.files) == 1 && len(tree.dirs) == 0 {
		// Ansible hands a lone file to the file copy and returns its result.
		f := tree.files[0]
		data, err := os.ReadFile(f.abs)
		if err != nil {
			return failed(err.Error()), nil
		}
		return c.single(ctx, source{data: data, name: f.abs, mode: f.mode}, dest+"/")
	}
	paths := []string{dest}
	for _, d := range tree.dirs {
		paths = append(paths, path.Join(dest, d))
	}
	for _, f := range tree.files {
		paths = append(paths, path.Join(dest, f.rel))
	}
	pr, err := probePaths(ctx, c.env, paths, true, c.a.Owner, c.a.Group)
	if err != nil {
		return nil, err
	}
	dirAttrs := fileAttrs{Mode: c.a.DirectoryMode, Owner: c.a.Owner, Group: c.a.Group}
	defDir := fileStat{Exists: true, Type: "directory", Mode: 0o777 &^ pr.Umask, UID: pr.SelfUID, GID: pr.SelfGID}
	var cmds []string
	changed := false
	// Directories first (dest itself, then the tree), parents before children.
	for i, d := range append([]string{""}, tree.dirs...) {
		p := path.Join(dest, d)
		st := pr.Stats[i]
		if st.Exists && !st.ToDir {
			return Result{"failed": true, "changed": false, "msg": fmt.Sprintf("%s already exists as a %s", p, st.stateName()), "path": p}, nil
		}
		if !st.Exists {
			changed = true
			plan, fail := planAttrs(p, defDir, dirAttrs, pr, map[string]any{}, map[string]any{})
			if fail != nil {
				return fail, nil
			}
			mk := "mkdir -p -- " + q(p)
			cmds = append(cmds, strings.Join(append([]string{mk}, plan.Cmds...), " && "))
			continue
		}
		if d == "" {
			continue // dest existed: Ansible leaves it alone
		}
		plan, fail := planAttrs(p, st, dirAttrs, pr, map[string]any{}, map[string]any{})
		if fail != nil {
			return fail, nil
		}
		if plan.Changed {
			changed = true
			cmds = append(cmds, plan.Cmds...)
		}
	}
	var uploads []string
	off := 1 + len(tree.dirs)
	for i, f := range tree.files {
		p := path.Join(dest, f.rel)
		st := pr.Stats[off+i]
		attrs := c.attrs(c.a.Mode, f.mode)
		if st.Exists && st.Checksum == f.sum {
			plan, fail := planAttrs(p, st, attrs, pr, map[string]any{}, map[string]any{})
			if fail != nil {
				return fail, nil
			}
			if plan.Changed {
				changed = true
				cmds = append(cmds, plan.Cmds...)
			}
			continue
		}
		if st.Exists && !c.force {
			continue
		}
		changed = true
		if c.env.Check {
			continue
		}
		data, err := os.ReadFile(f.abs)
		if err != nil {
			return failed(fmt.Sprintf("could not read source file %s: %v", f.abs, err)), nil
		}
		up, err := uploadPath(c.env)
		if err != nil {
			return nil, err
		}
		if err := c.env.Conn.Upload(ctx, bytes.NewReader(data), up, 0o600); err != nil {
			return nil, fmt.Errorf("upload %s: %w", p, err)
		}
		uploads = append(uploads, up)
		w, fail := c.writeCmd(up, p, st, pr, attrs, "cat -- "+q(up))
		if fail != nil {
			return fail, nil
		}
		cmds = append(cmds, w)
	}
	r := Result{"changed": changed, "dest": dest + "/", "src": srcShown}
	if !changed || c.env.Check {
		return r, nil
	}
	line := strings.Join(cmds, " && ") + "; rc=$?"
	if len(uploads) > 0 {
		up := make([]string, len(uploads))
		for i, u := range uploads {
			up[i] = q(u)
		}
		line += "; rm -f -- " + strings.Join(up, " ")
	}
	line += "; exit $rc"
	res, err := run(ctx, c.env, line, nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return c.writeFailure(res.Stdout, res.Stderr, dest, ""), nil
	}
	return r, nil
}

// remote copies a file that is already on the host (remote_src=yes).
func (c *copyRun) remote(ctx context.Context) (Result, error) {
	src := *c.a.Src
	dclean := path.Clean(c.a.Dest)
	base := path.Base(src)
	pr, err := probePaths(ctx, c.env, []string{src, dclean, path.Join(dclean, base), path.Dir(dclean)}, true, c.a.Owner, c.a.Group)
	if err != nil {
		return nil, err
	}
	sst := pr.Stats[0]
	if !sst.Exists {
		return failed(fmt.Sprintf("Source %s not found", src)), nil
	}
	if sst.ToDir {
		return failed("gossible does not support copy with remote_src=yes from a directory (" + src + "); use a command task with cp -r"), nil
	}
	final, st, parent := dclean, pr.Stats[1], pr.Stats[3]
	if strings.HasSuffix(c.a.Dest, "/") || (st.Exists && st.ToDir) {
		final, st, parent = path.Join(dclean, base), pr.Stats[2], pr.Stats[1]
	}
	if !parent.Exists {
		return Result{"failed": true, "changed": false, "checksum": sst.Checksum, "msg": fmt.Sprintf("Destination directory %s does not exist", path.Dir(final))}, nil
	}
	attrs := c.attrs(c.a.Mode, sst.Mode)
	changed := !st.Exists || (st.Checksum != sst.Checksum && c.force)
	if c.env.Check {
		return Result{"changed": changed}, nil
	}
	var line string
	if changed {
		w, fail := c.writeCmd("", final, st, pr, attrs, "cat -- "+q(src))
		if fail != nil {
			return fail, nil
		}
		line = w + " && "
	} else {
		plan, fail := planAttrs(final, st, attrs, pr, map[string]any{}, map[string]any{})
		if fail != nil {
			return fail, nil
		}
		if plan.Changed {
			changed = true
			line = strings.Join(plan.Cmds, " && ") + " && "
		}
	}
	line += "md5sum < " + q(final) + " | cut -d' ' -f1 && " + statCmd([]string{final}, true)
	res, err := run(ctx, c.env, line, nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return c.writeFailure(res.Stdout, res.Stderr, final, sst.Checksum), nil
	}
	out := string(res.Stdout)
	backup, out := splitBackup(out)
	md5, rest, _ := strings.Cut(out, "\n")
	sts, _, err := parseStats(rest, 1)
	if err != nil {
		return nil, err
	}
	r := Result{"changed": changed, "checksum": sts[0].Checksum, "dest": final, "md5sum": md5, "src": src}
	statResult(r, sts[0])
	if backup != "" {
		r["backup_file"] = backup
	}
	return r, nil
}
