package executor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/playbook"
)

// TestResetConnection: meta reset_connection closes the hosts' ssh
// connections (removing their scratch dirs); the next task reconnects.
func TestResetConnection(t *testing.T) {
	inv, err := inventory.Load([]string{"h1,h2,"})
	if err != nil {
		t.Fatal(err)
	}
	pb := loadPlayMeta(t, `- hosts: all
  gather_facts: false
  tasks:
    - gossible_test.t.sh: cmd=true
    - meta: reset_connection
    - gossible_test.t.sh: cmd=true
`)
	dials, conns := runCounting(t, inv, pb)
	if dials["h1"] != 2 || dials["h2"] != 2 {
		t.Errorf("dials = %v, want two per host (one after the reset)", dials)
	}
	for _, c := range conns {
		if c.closed != 1 || !c.removedTmp {
			t.Errorf("connection closed %d times (want 1), scratch dir removed: %v", c.closed, c.removedTmp)
		}
	}
}

// loadPlayMeta is loadPlay also knowing the meta action.
func loadPlayMeta(t *testing.T, text string) *playbook.Playbook {
	t.Helper()
	p := filepath.Join(t.TempDir(), "play.yml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	known := func(n string) bool { _, ok := modules.Lookup(n); return ok || n == "meta" }
	pb, err := playbook.Load(p, playbook.Options{KnownModule: known})
	if err != nil {
		t.Fatal(err)
	}
	return pb
}
