package modules

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// step is one module call of a differential case; "@" in string args is the
// case's scratch directory.
type step struct {
	args  map[string]any
	check bool
	diff  bool
	drop  []string // volatile keys not compared for this step
}

type diffCase struct {
	name   string
	module string
	setup  func(t *testing.T, dir string)
	steps  []step
}

// runDiffCase runs the same steps under ansible (in one scratch dir) and
// gossible (in another) and compares every result.
func runDiffCase(t *testing.T, tc diffCase) {
	t.Helper()
	ad, gd := t.TempDir(), t.TempDir()
	if tc.setup != nil {
		tc.setup(t, ad)
		tc.setup(t, gd)
	}
	for i, s := range tc.steps {
		var flags []string
		if s.check {
			flags = append(flags, "--check")
		}
		if s.diff {
			flags = append(flags, "--diff")
		}
		want := ansible(t, tc.module, sub(s.args, ad), flags...)
		env := testEnv(t)
		env.Check, env.Diff = s.check, s.diff
		got := runMod(t, env, tc.module, sub(s.args, gd))
		drop := append([]string{}, s.drop...)
		if !s.diff {
			drop = append(drop, "diff")
		}
		label := tc.name + " step " + strconv.Itoa(i+1)
		diffResults(t, label, normalize(want, ad, drop...), normalize(got, gd, drop...))
	}
}

func TestFileDifferential(t *testing.T) {
	mkfile := func(t *testing.T, dir string) { mustWrite(t, filepath.Join(dir, "f"), "hello\n") }
	cases := []diffCase{
		{name: "directory create twice", module: "file", steps: []step{
			{args: map[string]any{"path": "@/d/e", "state": "directory"}, diff: true},
			{args: map[string]any{"path": "@/d/e", "state": "directory"}},
		}},
		{name: "directory modes", module: "file", steps: []step{
			{args: map[string]any{"path": "@/d/e", "state": "directory", "mode": "u=rwx,g=rx,o="}, diff: true},
			{args: map[string]any{"path": "@/d", "state": "directory", "mode": "0700"}, diff: true},
			{args: map[string]any{"path": "@/d", "state": "directory", "mode": 0o755}},
			{args: map[string]any{"path": "@/x", "state": "directory", "mode": "755"}, check: true, diff: true},
		}},
		{name: "file state", module: "file", setup: mkfile, steps: []step{
			{args: map[string]any{"path": "@/f", "state": "file"}},
			{args: map[string]any{"path": "@/f", "mode": "u+x,g-r"}, diff: true},
			{args: map[string]any{"path": "@/f", "mode": "+w,g=u,o-r"}, diff: true},
			{args: map[string]any{"path": "@/f", "mode": "a+X"}},
			{args: map[string]any{"path": "@/f", "mode": "0999"}},
			{args: map[string]any{"path": "@/missing"}},
			{args: map[string]any{"dest": "@/", "state": "file"}},
			{args: map[string]any{"name": "@/f", "state": "directory"}},
		}},
		{name: "touch and absent", module: "file", steps: []step{
			{args: map[string]any{"path": "@/t", "state": "touch", "mode": "0600"}},
			{args: map[string]any{"path": "@/t", "state": "touch"}},
			{args: map[string]any{"path": "@/t", "state": "absent"}, diff: true},
			{args: map[string]any{"path": "@/t", "state": "absent"}},
			{args: map[string]any{"path": "@/u", "state": "touch"}, check: true},
			{args: map[string]any{"path": "@/u", "state": "touch"}, check: true, diff: true},
			{args: map[string]any{"path": "@/m", "state": "touch", "mode": "0640"}},
		}},
		{name: "absent directory content", module: "file", setup: func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "d", "a", "x"), "x")
			mustWrite(t, filepath.Join(dir, "d", "a", "b", "y"), "y")
			mustWrite(t, filepath.Join(dir, "d", "z"), "z")
			if err := os.Symlink("a", filepath.Join(dir, "d", "l")); err != nil {
				t.Fatal(err)
			}
		}, steps: []step{
			{args: map[string]any{"path": "@/d", "state": "absent"}, check: true, diff: true},
			{args: map[string]any{"path": "@/d", "state": "absent"}, diff: true},
		}},
		{name: "links", module: "file", setup: mkfile, steps: []step{
			{args: map[string]any{"path": "@/l", "src": "@/f", "state": "link"}, diff: true},
			{args: map[string]any{"path": "@/l", "src": "@/f", "state": "link"}},
			{args: map[string]any{"path": "@/l", "src": "f", "state": "link"}, diff: true},
			{args: map[string]any{"path": "@/l2", "src": "@/nothere", "state": "link"}},
			{args: map[string]any{"path": "@/f", "src": "@/l", "state": "link"}},
			{args: map[string]any{"path": "@/h", "src": "@/f", "state": "hard"}},
			{args: map[string]any{"path": "@/h", "src": "@/f", "state": "hard"}},
			{args: map[string]any{"path": "@/f", "state": "file"}},
		}},
		{name: "timestamps", module: "file", setup: mkfile, steps: []step{
			{args: map[string]any{"path": "@/f", "modification_time": "202001021304.05"}},
			{args: map[string]any{"path": "@/f", "modification_time": "202001021304.05", "access_time": "preserve"}},
			{args: map[string]any{"path": "@/f", "access_time": "now"}},
			{args: map[string]any{"path": "@/n", "state": "touch", "modification_time": "preserve", "access_time": "202001021304.05"}},
			{args: map[string]any{"path": "@/f", "modification_time": "2020"}},
		}},
		{name: "bad args", module: "file", steps: []step{
			{args: map[string]any{"path": "@/x", "state": "bogus"}},
			{args: map[string]any{"state": "directory"}},
			{args: map[string]any{"path": "@/x", "state": "directory", "bogus": 1}},
			{args: map[string]any{"path": "@/x", "state": "directory", "recurse": "maybe"}},
			{args: map[string]any{"path": "@/x", "state": "touch", "recurse": true}},
			{args: map[string]any{"path": "@/x", "src": "@/y"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}

func TestFileOwnerRecurse(t *testing.T) {
	needRoot(t)
	cases := []diffCase{
		{name: "owner and recurse", module: "file", setup: func(t *testing.T, dir string) {
			mustWrite(t, filepath.Join(dir, "r/a/b"), "x")
		}, steps: []step{
			{args: map[string]any{"path": "@/r", "state": "directory", "owner": "nobody", "group": "nogroup", "recurse": true}, diff: true},
			{args: map[string]any{"path": "@/r", "state": "directory", "owner": "nobody", "recurse": true}},
			{args: map[string]any{"path": "@/r", "state": "directory", "mode": "u=rwX,g=rX,o=", "recurse": true}, check: true},
			{args: map[string]any{"path": "@/r", "owner": "nosuchuserxx"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}

// TestFileRecurseApplies checks the tree itself, not only the result.
func TestFileRecurseApplies(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "a/b/c"), "x")
	r := runMod(t, env, "file", map[string]any{"path": dir + "/a", "state": "directory", "mode": "u=rwX,g=,o=", "recurse": true})
	if r["changed"] != true {
		t.Fatalf("want changed, got %v", r)
	}
	for p, want := range map[string]os.FileMode{"a": 0o700, "a/b": 0o700, "a/b/c": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %o, want %o", p, fi.Mode().Perm(), want)
		}
	}
	r = runMod(t, env, "file", map[string]any{"path": dir + "/a", "state": "directory", "mode": "u=rwX,g=,o=", "recurse": true})
	if r["changed"] != false {
		t.Fatalf("second run: want ok, got %v", r)
	}
}
