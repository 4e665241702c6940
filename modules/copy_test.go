package modules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func copyFixture(t *testing.T, dir string) {
	mustWrite(t, filepath.Join(dir, "files/single"), "s\n")
	mustWrite(t, filepath.Join(dir, "files/ui/a.txt"), "a\n")
	mustWrite(t, filepath.Join(dir, "files/ui/sub/b.txt"), "b\n")
	mustWrite(t, filepath.Join(dir, "files/one/only.txt"), "only\n")
	if err := os.MkdirAll(filepath.Join(dir, "existing"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestCopyDifferential(t *testing.T) {
	tmpSrc := []string{"src"}
	cases := []diffCase{
		{name: "content twice, mode change, diff", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"content": "hi", "dest": "@/f1", "mode": "0600"}, drop: tmpSrc},
			{args: map[string]any{"content": "hi", "dest": "@/f1", "mode": "0600"}},
			{args: map[string]any{"content": "hi", "dest": "@/f1", "mode": "u=rw,g=r"}, diff: true},
			{args: map[string]any{"content": "hello\n", "dest": "@/f1"}, diff: true, drop: tmpSrc},
			{args: map[string]any{"content": "hello2", "dest": "@/f1"}, check: true, diff: true},
			{args: map[string]any{"content": "new", "dest": "@/f2"}, check: true, diff: true},
			{args: map[string]any{"content": "zz", "dest": "@/f1", "force": "no"}, drop: tmpSrc},
		}},
		{name: "src file into dirs", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"src": "@/files/single", "dest": "@/out/"}, drop: tmpSrc},
			{args: map[string]any{"src": "@/files/single", "dest": "@/out/"}},
			{args: map[string]any{"src": "@/files/single", "dest": "@/existing"}, drop: tmpSrc},
			{args: map[string]any{"src": "@/files/single", "dest": "@/existing", "mode": 0o640}},
		}},
		{name: "directory trees", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"src": "@/files/ui", "dest": "@/d1", "mode": "0644"}},
			{args: map[string]any{"src": "@/files/ui", "dest": "@/d1", "mode": "0644"}},
			{args: map[string]any{"src": "@/files/ui/", "dest": "@/d2"}},
			{args: map[string]any{"src": "@/files/ui/", "dest": "@/d2"}},
			{args: map[string]any{"src": "@/files/ui", "dest": "@/d3", "directory_mode": "0700"}},
			{args: map[string]any{"src": "@/files/ui", "dest": "@/d4"}, check: true},
			{args: map[string]any{"src": "@/files/one/", "dest": "@/d5"}, drop: tmpSrc},
		}},
		{name: "follow links", module: "copy", setup: func(t *testing.T, dir string) {
			copyFixture(t, dir)
			mustWrite(t, dir+"/target", "old")
			if err := os.Symlink(dir+"/target", dir+"/link"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(dir+"/target", dir+"/link2"); err != nil {
				t.Fatal(err)
			}
		}, steps: []step{
			{args: map[string]any{"content": "new", "dest": "@/link", "follow": true}, drop: tmpSrc},
			{args: map[string]any{"content": "new", "dest": "@/link", "follow": true}},
			{args: map[string]any{"content": "other", "dest": "@/link2"}, drop: tmpSrc},
		}},
		{name: "remote src", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"src": "@/files/single", "dest": "@/r1", "remote_src": true}},
			{args: map[string]any{"src": "@/files/single", "dest": "@/r1", "remote_src": "yes"}},
		}},
		{name: "errors", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"dest": "@/x"}},
			{args: map[string]any{"content": "x"}},
			{args: map[string]any{"content": "x", "dest": "@/existing/"}},
			{args: map[string]any{"content": "x", "dest": "@/existing"}},
			{args: map[string]any{"content": "x", "dest": "@/nodir/x"}},
			{args: map[string]any{"content": "x", "dest": "@/x", "foo": "1"}},
			{args: map[string]any{"src": "@/files/nonexist", "dest": "@/x"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}

func TestCopyOwnerDifferential(t *testing.T) {
	needRoot(t)
	tmpSrc := []string{"src"}
	cases := []diffCase{
		{name: "owner group", module: "copy", setup: copyFixture, steps: []step{
			{args: map[string]any{"content": "x", "dest": "@/o1", "owner": "nobody", "group": "nogroup", "mode": "u=rw,g=r"}, drop: tmpSrc},
			{args: map[string]any{"content": "x", "dest": "@/o1", "owner": "nobody", "group": "nogroup"}},
			{args: map[string]any{"content": "x", "dest": "@/o1", "owner": "root"}, diff: true},
			{args: map[string]any{"content": "y", "dest": "@/o1"}, drop: tmpSrc},
			{args: map[string]any{"src": "@/files/ui", "dest": "@/o3", "owner": "nobody", "directory_mode": "0750"}},
			{args: map[string]any{"src": "@/files/ui", "dest": "@/o3", "owner": "nobody", "directory_mode": "0750"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}

// TestCopyUnknownOwner: Ansible writes the file, then fails on chown;
// gossible fails with the same message before writing anything.
func TestCopyUnknownOwner(t *testing.T) {
	env := testEnv(t)
	dest := filepath.Join(t.TempDir(), "f")
	r := runMod(t, env, "copy", map[string]any{"content": "x", "dest": dest, "owner": "nosuchuserxx"})
	if r["failed"] != true || r["msg"] != "chown failed: failed to look up user nosuchuserxx" {
		t.Fatalf("got %v", r)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("dest written despite the failure: %v", err)
	}
}

func TestCopyTrees(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	copyFixture(t, dir)
	r := runMod(t, env, "copy", map[string]any{"src": dir + "/files/ui", "dest": dir + "/out", "mode": "0644"})
	if r["changed"] != true {
		t.Fatalf("first copy: %v", r)
	}
	for p, want := range map[string]string{"out/ui/a.txt": "a\n", "out/ui/sub/b.txt": "b\n"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q %v", p, b, err)
		}
	}
	entries, _ := os.ReadDir(env.RemoteTmp)
	if len(entries) != 0 {
		t.Errorf("uploads left in RemoteTmp: %v", entries)
	}
	mustWrite(t, filepath.Join(dir, "files/ui/a.txt"), "changed\n")
	r = runMod(t, env, "copy", map[string]any{"src": dir + "/files/ui/", "dest": dir + "/out/ui", "mode": "0644"})
	if r["changed"] != true {
		t.Fatalf("changed source: %v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out/ui/a.txt")); string(b) != "changed\n" {
		t.Errorf("content not replaced: %q", b)
	}
	// No temporary files are left beside the destination.
	filepath.WalkDir(filepath.Join(dir, "out"), func(p string, d os.DirEntry, err error) error {
		if strings.Contains(p, ".gossible.") {
			t.Errorf("temporary left behind: %s", p)
		}
		return nil
	})
}

func TestCopyBackupValidate(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	dest := filepath.Join(dir, "f")
	mustWrite(t, dest, "old\n")
	r := runMod(t, env, "copy", map[string]any{"content": "new\n", "dest": dest, "backup": "yes"})
	b, _ := r["backup_file"].(string)
	if r["changed"] != true || !strings.HasPrefix(b, dest+".") || !strings.HasSuffix(b, "~") {
		t.Fatalf("backup: %v", r)
	}
	if old, _ := os.ReadFile(b); string(old) != "old\n" {
		t.Errorf("backup content %q", old)
	}
	r = runMod(t, env, "copy", map[string]any{"content": "bad\n", "dest": dest, "validate": "grep -q good %s"})
	if r["failed"] != true || r["msg"] != "failed to validate" {
		t.Fatalf("validate: %v", r)
	}
	if cur, _ := os.ReadFile(dest); string(cur) != "new\n" {
		t.Errorf("validated-out content was written: %q", cur)
	}
	r = runMod(t, env, "copy", map[string]any{"content": "good\n", "dest": dest, "validate": "grep -q good %s"})
	if r["changed"] != true {
		t.Fatalf("validate ok: %v", r)
	}
}

// TestCopyContentSourceName checks content= is named as Ansible names its
// controller temporary file: under ~/.ansible/tmp, in the diff header and
// in a force=no result.
func TestCopyContentSourceName(t *testing.T) {
	env := testEnv(t)
	env.Diff = true
	dest := filepath.Join(t.TempDir(), "f")
	r := runMod(t, env, "copy", map[string]any{"content": "x\n", "dest": dest})
	diffs, _ := r["diff"].([]any)
	if len(diffs) != 1 {
		t.Fatalf("diff: %v", r)
	}
	if h, _ := diffs[0].(map[string]any)["after_header"].(string); !strings.Contains(h, "/.ansible/tmp/ansible-local-") {
		t.Errorf("after_header = %q, want a path under ~/.ansible/tmp", h)
	}
	r = runMod(t, env, "copy", map[string]any{"content": "y\n", "dest": dest, "force": "no"})
	if s, _ := r["src"].(string); r["changed"] != false || !strings.Contains(s, "/.ansible/tmp/ansible-local-") {
		t.Errorf("force=no result = %v, want src under ~/.ansible/tmp", r)
	}
}

// TestCopyChapterRole runs the book's "Files are copied" items: relative
// src found through Env.FindFile in the role's files dir, a binary with
// 0755 and the ui directory with 0644; the second run changes nothing.
func TestCopyChapterRole(t *testing.T) {
	env := testEnv(t)
	role := t.TempDir()
	mustWrite(t, filepath.Join(role, "files/consul"), "\x7fELF\x00binary")
	mustWrite(t, filepath.Join(role, "files/ui/index.html"), "<html>\n")
	mustWrite(t, filepath.Join(role, "files/ui/static/app.js"), "x()\n")
	env.FindFile = func(kind, name string) (string, error) {
		p := filepath.Join(role, kind, name)
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
		return p, nil
	}
	host := t.TempDir()
	items := []map[string]any{
		{"src": "consul", "dest": host + "/usr/local/bin/consul", "mode": "0755"},
		{"src": "ui", "dest": host + "/data/consul", "mode": "0644"},
	}
	if err := os.MkdirAll(host+"/usr/local/bin", 0o755); err != nil {
		t.Fatal(err)
	}
	for round, want := range []bool{true, false} {
		for _, it := range items {
			r := runMod(t, env, "copy", it)
			if r["changed"] != want || r["failed"] == true {
				t.Fatalf("round %d %v: %v", round+1, it["src"], r)
			}
		}
	}
	for p, mode := range map[string]os.FileMode{"usr/local/bin/consul": 0o755, "data/consul/ui/index.html": 0o644, "data/consul/ui/static/app.js": 0o644, "data/consul/ui/static": 0o755} {
		fi, err := os.Stat(filepath.Join(host, p))
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want %o", p, fi.Mode(), err, mode)
		}
	}
	r := runMod(t, env, "copy", map[string]any{"src": "nothere", "dest": host})
	if r["failed"] != true {
		t.Fatalf("missing src: %v", r)
	}
}
