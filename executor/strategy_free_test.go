package executor_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/playbook"
)

// resultLog records "host task" for each host result, in the order the
// callback receives them.
type resultLog struct {
	mu      sync.Mutex
	task    string
	results []string
}

func (l *resultLog) PlaybookStart(*playbook.Playbook)                {}
func (l *resultLog) PlayStart(*playbook.Play, string)                {}
func (l *resultLog) TaskStart(_ *playbook.Task, name string, _ bool) { l.task = name }
func (l *resultLog) ItemResult(*executor.HostResult, any)            {}
func (l *resultLog) Warning(string)                                  {}
func (l *resultLog) Recap(map[string]*executor.Stats, []string)      {}
func (l *resultLog) HostResult(r *executor.HostResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	status := ""
	if r.Status == executor.StatusFailed {
		status = " failed"
	}
	l.results = append(l.results, r.Host+" "+l.task+status)
}

// runFree runs play (YAML) with the local transport on the hosts, and
// returns the results in the order they were reported.
func runFree(t *testing.T, play string, hosts string, forks int) []string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "play.yml")
	if err := os.WriteFile(path, []byte(play), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.Load([]string{hosts})
	if err != nil {
		t.Fatal(err)
	}
	known := func(n string) bool { _, ok := modules.Lookup(n); return ok || n == "meta" }
	pb, err := playbook.Load(path, playbook.Options{KnownModule: known})
	if err != nil {
		t.Fatal(err)
	}
	// A strategy that waited for every host would never end: fail instead.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	log := &resultLog{}
	_, err = executor.Run(ctx, []*playbook.Playbook{pb}, executor.Options{
		Inventory: inv, Connection: "local", Callback: log, Forks: forks,
		ExtraVars: map[string]any{"work": dir},
	})
	if err != nil {
		t.Fatalf("run: %v (results so far: %v)", err, log.results)
	}
	return log.results
}

// TestFreeSlowHostDoesNotHoldOthers: h2's first task waits until h1 has
// finished the play, which only the free strategy lets happen.
func TestFreeSlowHostDoesNotHoldOthers(t *testing.T) {
	play := `
- hosts: all
  strategy: free
  gather_facts: false
  tasks:
    - name: wait
      gossible_test.t.sh:
        cmd: "{{ 'true' if inventory_hostname == 'h1' else 'while [ ! -f ' ~ work ~ '/done ]; do sleep 0.02; done' }}"
    - name: second
      gossible_test.t.echo: {msg: two}
    - name: last
      gossible_test.t.sh:
        cmd: "touch {{ work }}/{{ 'done' if inventory_hostname == 'h1' else 'other' }}"
`
	got := runFree(t, play, "h1,h2,", 2)
	// h2's wait ends only once h1's last task has started: h1's first two results
	// come first, then h1's last and h2's in either order.
	wantFirstThenInOrder(t, got, []string{"h1 wait", "h1 second"}, []string{"h2 wait", "h2 second", "h2 last"})
}

// TestFreeOrder checks the order of results with one fork (round-robin,
// one task of each host in turn), and that a failed host stops alone.
func TestFreeOrder(t *testing.T) {
	play := `
- hosts: all
  strategy: %s
  gather_facts: false
  tasks:
    - name: one
      gossible_test.t.echo: {msg: one}
    - name: two
      gossible_test.t.echo: {msg: two, failed: "{{ inventory_hostname == 'b' }}"}
    - name: three
      gossible_test.t.echo: {msg: three}
`
	tests := []struct {
		name     string
		strategy string
		want     []string
	}{
		{name: "free", strategy: "free", want: []string{
			"a one", "b one", "c one", "a two", "b two failed", "c two", "a three", "c three"}},
		{name: "host_pinned", strategy: "host_pinned", want: []string{
			"a one", "a two", "a three", "b one", "b two failed", "c one", "c two", "c three"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runFree(t, fmt.Sprintf(play, tc.strategy), "a,b,c,", 1)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// wantFirstThenInOrder checks that got starts with first and holds the results
// in rest (all of one host) in that order, whatever else comes between them.
func wantFirstThenInOrder(t *testing.T, got, first, rest []string) {
	t.Helper()
	all := strings.Join(got, "\n")
	if len(got) != len(first)+len(rest)+1 || strings.Join(got[:len(first)], "\n") != strings.Join(first, "\n") {
		t.Fatalf("results:\n%s\nwant first: %v", all, first)
	}
	host := strings.Fields(rest[0])[0] + " "
	var seen []string
	for _, r := range got[len(first):] {
		if strings.HasPrefix(r, host) {
			seen = append(seen, r)
		}
	}
	if strings.Join(seen, ",") != strings.Join(rest, ",") {
		t.Errorf("results of %s%v, want %v in order (all:\n%s)", host, seen, rest, all)
	}
}
