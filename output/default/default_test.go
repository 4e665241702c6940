package defaultcb

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
)

var update = flag.Bool("update", false, "rewrite golden files")

// script replays a small run: the events of a play with a debug task, a
// loop with changed and skipped items, an ignored failure, a handler and
// the recap. Its plain-text golden matches ansible-playbook 2.14's output
// for the same run.
func script(c *Callback) {
	play := &playbook.Play{Name: "all", Hosts: "all"}
	c.PlaybookStart(&playbook.Playbook{Path: "play.yml"})
	c.PlayStart(play, "all")
	debug := &playbook.Task{Module: "debug", Args: map[string]any{"msg": "hello"}}
	c.TaskStart(debug, "debug", false)
	c.HostResult(&executor.HostResult{Host: "localhost", Status: executor.StatusOK, Result: map[string]any{
		"msg": "hello", "changed": false, "failed": false, "_ansible_verbose_always": true, "_ansible_no_log": false}})
	loop := &playbook.Task{Name: "dirs", Module: "file", Loop: []any{"a"}, LoopKind: "items"}
	c.TaskStart(loop, "consul : dirs", false)
	items := []any{}
	for _, it := range []string{"/data/consul/data", "/data/consul/config"} {
		r := map[string]any{"changed": true, "item": it, "ansible_loop_var": "item", "path": it}
		items = append(items, r)
		c.ItemResult(&executor.HostResult{Host: "localhost", Status: executor.StatusChanged, Result: r}, it)
	}
	c.ItemResult(&executor.HostResult{Host: "localhost", Status: executor.StatusSkipped, Result: map[string]any{
		"changed": false, "skipped": true, "item": 3, "skip_reason": "Conditional result was False"}}, 3)
	c.HostResult(&executor.HostResult{Host: "localhost", Status: executor.StatusChanged, Result: map[string]any{
		"changed": true, "msg": "All items completed", "results": items}})
	fail := &playbook.Task{Name: "fails", Module: "command"}
	c.TaskStart(fail, "fails", false)
	c.HostResult(&executor.HostResult{Host: "localhost", Status: executor.StatusFailed, Ignored: true, Result: map[string]any{
		"changed": true, "failed": true, "msg": "non-zero return code", "rc": 1, "_ansible_no_log": false}})
	c.HostResult(&executor.HostResult{Host: "web-1", Status: executor.StatusUnreachable, Result: map[string]any{
		"changed": false, "unreachable": true, "msg": "Failed to connect to the host via ssh: refused"}})
	c.TaskStart(&playbook.Task{Name: "h", Module: "debug"}, "h", true)
	c.HostResult(&executor.HostResult{Host: "localhost", Status: executor.StatusOK, Result: map[string]any{
		"msg": "handler", "changed": false, "_ansible_verbose_always": true}})
	c.Warning("a warning long enough to be wrapped at the width of the terminal, which is seventy-nine columns")
	c.Recap(map[string]*executor.Stats{
		"localhost": {OK: 4, Changed: 2, Ignored: 1},
		"web-1":     {Unreachable: 1},
	}, []string{"localhost", "web-1"})
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name      string
		color     bool
		verbosity int
	}{
		{name: "plain", color: false},
		{name: "color", color: true},
		{name: "verbose", verbosity: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			script(New(display.New(&out, &errb, tc.color), tc.verbosity))
			got := out.String() + "--- stderr ---\n" + errb.String()
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name, before, after, want string
	}{
		{name: "changed line", before: "a\nb\nc\n", after: "a\nB\nc\n",
			want: "--- before\n+++ after\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\n"},
		{name: "new file", before: "", after: "x\n",
			want: "--- before\n+++ after\n@@ -0,0 +1 @@\n+x\n\n"},
		{name: "no newline", before: "a", after: "b",
			want: "--- before\n+++ after\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n\n"},
		{name: "equal", before: "a\n", after: "a\n", want: ""},
	}
	c := New(display.New(nil, nil, false), 0)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.formatDiff(map[string]any{"before": tc.before, "after": tc.after})
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
