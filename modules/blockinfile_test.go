package modules

import "testing"

func TestBlockinfileDifferential(t *testing.T) {
	bk := []string{"backup_file"}
	cases := []diffCase{
		{name: "blocks", module: "blockinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/f", "block": "x=1\ny=2"}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "x=1\ny=2"}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "x=1\ny=3\n"}, diff: true},
			{args: map[string]any{"path": "@/f", "content": "z", "marker": "// {mark} two", "insertbefore": "BOF"}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "m", "marker": "# {mark} three", "marker_begin": "start", "marker_end": "stop", "insertafter": "^b="}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "n", "marker": "# {mark} four", "insertbefore": "^a="}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "o", "marker": "# {mark} five", "insertafter": "nomatch"}, diff: true},
			{args: map[string]any{"path": "@/f", "marker": "// {mark} two", "state": "absent"}, diff: true},
			{args: map[string]any{"path": "@/f", "marker": "# {mark} four", "block": ""}, diff: true},
			{args: map[string]any{"path": "@/f", "marker": "# {mark} nothere", "state": "absent"}, diff: true},
			{args: map[string]any{"path": "@/f", "block": "q", "mode": "0600"}, check: true, diff: true},
			{args: map[string]any{"path": "@/f", "block": "x=1\ny=3", "mode": "0600"}, diff: true},
			{args: map[string]any{"path": "@/nonl", "block": "b"}, diff: true},
			{args: map[string]any{"path": "@/nonl", "block": "b", "state": "absent"}, diff: true},
			{args: map[string]any{"path": "@/crlf", "block": "b"}, diff: true},
			{args: map[string]any{"path": "@/link", "block": "via link", "marker": "# {mark} L"}},
		}},
		{name: "create backup validate", module: "blockinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/n/new", "block": "b", "create": true}, check: true, diff: true},
			{args: map[string]any{"path": "@/n/new", "block": "b", "create": true}, diff: true},
			{args: map[string]any{"path": "@/n/gone", "create": true, "state": "absent"}},
			{args: map[string]any{"path": "@/f", "block": "bk", "backup": true}, drop: bk},
			{args: map[string]any{"path": "@/f", "block": "bk", "backup": true}},
			{args: map[string]any{"path": "@/f", "block": "v", "validate": "grep -q nothere %s"}},
		}},
		{name: "errors", module: "blockinfile", setup: editFixture, steps: []step{
			{args: map[string]any{"path": "@/missing", "block": "x"}},
			{args: map[string]any{"path": "@/missing", "state": "absent"}},
			{args: map[string]any{"path": "@/d", "block": "x"}},
			{args: map[string]any{"block": "x"}},
			{args: map[string]any{"path": "@/f", "block": "x", "insertafter": "a", "insertbefore": "b"}},
			{args: map[string]any{"path": "@/f", "bogus": 1}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}
