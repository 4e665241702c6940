package modules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditKeepsFileOnFailure checks the editing modules' write path: the
// file keeps its mode, a failed validate leaves the previous content, and
// no temporary file is left beside it or in RemoteTmp.
func TestEditKeepsFileOnFailure(t *testing.T) {
	env := testEnv(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	mustWrite(t, p, "a\n")
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		module string
		args   map[string]any
		fail   string // wanted msg prefix of a failure
		want   string // content afterwards
	}{
		{module: "lineinfile", args: map[string]any{"path": p, "line": "b"}, want: "a\nb\n"},
		{module: "lineinfile", args: map[string]any{"path": p, "line": "c", "validate": "grep -q nothere %s"}, fail: "failed to validate: rc:1 error:", want: "a\nb\n"},
		{module: "replace", args: map[string]any{"path": p, "regexp": "b", "replace": "B", "validate": "sh -c 'echo bad >&2; exit 4' %s"}, fail: "failed to validate: rc:4 error:bad\n", want: "a\nb\n"},
		{module: "blockinfile", args: map[string]any{"path": p, "block": "x", "validate": "grep -q nothere %s"}, fail: "failed to validate", want: "a\nb\n"},
		{module: "replace", args: map[string]any{"path": p, "regexp": "^b$", "replace": "B"}, want: "a\nB\n"},
		{module: "lineinfile", args: map[string]any{"path": p, "regexp": "(?<=a)x", "line": "y"}, fail: `unsupported regular expression "(?<=a)x": lookbehind assertions (?<=...)`, want: "a\nB\n"},
		{module: "replace", args: map[string]any{"path": p, "regexp": `(a)\1`}, fail: `unsupported regular expression "(a)\\1": backreferences (\1)`, want: "a\nB\n"},
	}
	for _, s := range steps {
		r := runMod(t, env, s.module, s.args)
		if s.fail != "" {
			if msg, _ := r["msg"].(string); r["failed"] != true || !strings.HasPrefix(msg, s.fail) {
				t.Errorf("%s %v: %v, want failure %q", s.module, s.args, r, s.fail)
			}
		} else if r["failed"] == true || r["changed"] != true {
			t.Errorf("%s %v: %v", s.module, s.args, r)
		}
		if b, _ := os.ReadFile(p); string(b) != s.want {
			t.Errorf("%s %v: content %q, want %q", s.module, s.args, b, s.want)
		}
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after edits: %v %v, want 0640", fi.Mode(), err)
	}
	for _, d := range []string{dir, env.RemoteTmp} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.Name() != "f" {
				t.Errorf("left behind in %s: %s", d, e.Name())
			}
		}
	}
}
