package jsoncb

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden replays a run and compares the document with a golden file in
// the shape ansible.posix.json prints (checked against ansible-playbook
// 2.14 by the differential suite in cmd/gossible).
func TestGolden(t *testing.T) {
	var out, errb bytes.Buffer
	c := New(&out, display.New(&out, &errb, false))
	tick := 0
	c.SetClock(func() time.Time {
		tick++
		return time.Date(2026, 1, 2, 3, 4, tick, 0, time.UTC)
	}, func() string { tick++; return fmt.Sprintf("id-%d", tick) })

	play := &playbook.Play{Pos: playbook.Pos{File: "/p/play.yml", Line: 1}, Hosts: "all"}
	c.PlaybookStart(&playbook.Playbook{Path: "play.yml"})
	c.PlayStart(play, "all")
	c.TaskStart(&playbook.Task{Pos: playbook.Pos{File: "/p/play.yml", Line: 4}, Module: "command"}, "command", false)
	c.HostResult(&executor.HostResult{Host: "h1", Status: executor.StatusChanged, Result: map[string]any{
		"changed": true, "rc": 0, "failed": false, "_ansible_no_log": false}})
	c.HostResult(&executor.HostResult{Host: "h2", Status: executor.StatusFailed, Result: map[string]any{
		"changed": false, "msg": "boom", "failed": true}})
	c.TaskStart(&playbook.Task{Pos: playbook.Pos{File: "/p/play.yml", Line: 6}, Module: "debug"}, "skip me", false)
	c.HostResult(&executor.HostResult{Host: "h1", Status: executor.StatusSkipped, Result: map[string]any{
		"changed": false, "skipped": true, "skip_reason": "Conditional result was False"}})
	c.Warning("careful")
	c.Recap(map[string]*executor.Stats{"h1": {OK: 1, Changed: 1, Skipped: 1}, "h2": {Failed: 1}}, []string{"h1", "h2"})

	got := out.String()
	golden := filepath.Join("testdata", "run.golden")
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
	if errb.String() != "[WARNING]: careful\n" {
		t.Errorf("warning not on stderr: %q", errb.String())
	}
}
