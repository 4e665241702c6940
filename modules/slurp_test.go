package modules

import "testing"

func TestSlurpDifferential(t *testing.T) {
	cases := []diffCase{
		{name: "slurp", module: "slurp", setup: editFixture, steps: []step{
			{args: map[string]any{"src": "@/f"}},
			{args: map[string]any{"path": "@/crlf"}},
			{args: map[string]any{"src": "@/empty"}},
			{args: map[string]any{"src": "@/link"}},
			{args: map[string]any{"src": "@/missing"}},
			{args: map[string]any{"src": "@/d"}},
			{args: map[string]any{}},
			{args: map[string]any{"src": "@/f", "bogus": 1}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}
