package modules

import (
	"os"
	"path/filepath"
	"testing"
)

// editFixture writes the files the editing modules' cases start from.
func editFixture(t *testing.T, dir string) {
	mustWrite(t, filepath.Join(dir, "f"), "a=1\n# comment\nb=2\na=3\n")
	mustWrite(t, filepath.Join(dir, "nonl"), "one\ntwo")
	mustWrite(t, filepath.Join(dir, "crlf"), "x\r\ny\r\n")
	mustWrite(t, filepath.Join(dir, "empty"), "")
	if err := os.MkdirAll(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("f", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
}

func TestLineinfileDifferential(t *testing.T) {
	bk := []string{"backup"}
	cases := []diffCase{
		{name: "add replace remove", module: "lineinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "line": "c=4"}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "c=4"}},
			{args: map[string]any{"path": "@/f", "regexp": "^a=", "line": "a=9"}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": "^a=", "line": "a=8", "firstmatch": true}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": "^b=", "line": "B=2"}, check: true, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": "^a=", "state": "absent"}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "# comment", "state": "absent"}},
			{args: map[string]any{"path": "@/f", "search_string": "b=", "line": "b=5"}, diff: true},
			{args: map[string]any{"path": "@/f", "search_string": "b=", "state": "absent"}},
			{args: map[string]any{"dest": "@/f", "line": "x", "mode": "0600"}, diff: true},
			{args: map[string]any{"name": "@/f", "line": "x", "mode": "u=rw,g=r"}, diff: true},
		}},
		{name: "insert positions", module: "lineinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "line": "top", "insertbefore": "BOF"}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "after-comment", "insertafter": "^#"}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "before-b", "insertbefore": "^b="}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "before-a", "insertbefore": "^a=", "firstmatch": true}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "nomatch", "insertafter": "^zzz"}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "top", "insertafter": "^b="}, diff: true},
			{args: map[string]any{"path": "@/f", "line": "end", "insertafter": "EOF"}, diff: true},
			{args: map[string]any{"path": "@/nonl", "line": "three"}, diff: true},
			{args: map[string]any{"path": "@/nonl", "line": "TWO", "regexp": "^two$"}, diff: true},
			{args: map[string]any{"path": "@/crlf", "line": "y"}, diff: true},
			{args: map[string]any{"path": "@/crlf", "line": "Y", "regexp": "^y$"}, diff: true},
			{args: map[string]any{"path": "@/empty", "line": "e", "insertafter": "x"}, diff: true},
			{args: map[string]any{"path": "@/link", "line": "vialink"}, diff: true},
		}},
		{name: "backrefs", module: "lineinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "regexp": `^(a)=(\d)$`, "line": `\1_\2=\g<2>0`, "backrefs": true}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `^(?P<k>b)=`, "line": `\g<k>\tkey`, "backrefs": true}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `^nomatch(.*)`, "line": `\1`, "backrefs": true}, diff: true},
		}},
		{name: "create backup validate", module: "lineinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/new/sub/file", "line": "x", "create": true}, check: true, diff: true},
			{args: map[string]any{"path": "@/new/sub/file", "line": "x", "create": true, "mode": "0640"}, diff: true},
			{args: map[string]any{"path": "@/new/sub/file", "line": "x", "create": true, "mode": "0640"}},
			{args: map[string]any{"path": "@/f", "line": "y", "backup": true}, drop: bk},
			{args: map[string]any{"path": "@/f", "line": "y", "backup": true}},
			{args: map[string]any{"path": "@/f", "line": "z", "validate": "grep -q nothere %s"}},
			{args: map[string]any{"path": "@/f", "line": "z", "validate": "true"}},
			{args: map[string]any{"path": "@/f", "line": "z", "validate": "true %s"}},
		}},
		{name: "errors", module: "lineinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/missing", "line": "x"}},
			{args: map[string]any{"path": "@/missing", "line": "x", "state": "absent"}},
			{args: map[string]any{"path": "@/d", "line": "x"}},
			{args: map[string]any{"path": "@/f"}},
			{args: map[string]any{"path": "@/f", "state": "absent"}},
			{args: map[string]any{"path": "@/f", "line": "x", "backrefs": true}},
			{args: map[string]any{"path": "@/f", "line": "x", "regexp": "a", "search_string": "b"}},
			{args: map[string]any{"path": "@/f", "line": "x", "insertafter": "a", "insertbefore": "b"}},
			{args: map[string]any{"path": "@/f", "line": "x", "state": "bogus"}},
			{args: map[string]any{"path": "@/f", "line": "x", "bogus": 1}},
			{args: map[string]any{"line": "x", "bogus": 1}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}
