package modules

import "testing"

func TestReplaceDifferential(t *testing.T) {
	bk := []string{"backup_file"}
	cases := []diffCase{
		{name: "replace", module: "replace", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "regexp": `^a=(\d)$`, "replace": `A=\1`}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `^a=(\d)$`, "replace": `A=\1`}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `^A=(?P<n>\d)`, "replace": `a=\g<n>\n#x`}, check: true, diff: true},
			{args: map[string]any{"dest": "@/f", "regexp": `=`, "replace": ": ", "after": "# comment"}, diff: true},
			{args: map[string]any{"name": "@/f", "regexp": `^A`, "replace": "Z", "before": "# comment"}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `: `, "replace": "=", "after": "^b", "before": "^A"}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `x`, "after": "nomatch"}},
			{args: map[string]any{"path": "@/f", "regexp": `^#.*\n`}, diff: true},
			{args: map[string]any{"path": "@/f", "regexp": `2$`, "replace": "two", "mode": "0600"}},
			{args: map[string]any{"path": "@/f", "regexp": `nomatch`, "mode": "0640"}, diff: true},
			{args: map[string]any{"path": "@/link", "regexp": `two`, "replace": "2"}},
			{args: map[string]any{"path": "@/crlf", "regexp": `y$`, "replace": "Y"}, diff: true},
			{args: map[string]any{"path": "@/nonl", "regexp": `o$`, "replace": "O"}, diff: true},
		}},
		{name: "backup validate", module: "replace", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "regexp": "b", "replace": "c", "backup": true}, drop: bk},
			{args: map[string]any{"path": "@/f", "regexp": "b", "replace": "c", "backup": true}},
			{args: map[string]any{"path": "@/f", "regexp": "c", "replace": "d", "validate": "grep -q nothere %s"}},
			{args: map[string]any{"path": "@/f", "regexp": "c", "replace": "d", "validate": "true"}},
		}},
		{name: "errors", module: "replace", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/missing", "regexp": "x"}},
			{args: map[string]any{"path": "@/d", "regexp": "x"}},
			{args: map[string]any{"path": "@/f"}},
			{args: map[string]any{"regexp": "x"}},
			{args: map[string]any{"path": "@/f", "regexp": "x", "bogus": 1}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}
