package executor_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	defaultcb "github.com/gossible/gossible/output/default"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/local"
)

func loadPlay(t *testing.T, text string) *playbook.Playbook {
	t.Helper()
	p := filepath.Join(t.TempDir(), "play.yml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	known := func(n string) bool { _, ok := modules.Lookup(n); return ok }
	pb, err := playbook.Load(p, playbook.Options{KnownModule: known})
	if err != nil {
		t.Fatal(err)
	}
	return pb
}

// TestOneConnectionPerHost: every task on a host shares one connection,
// opened on first use and closed (with its scratch dir removed) at the end.
func TestOneConnectionPerHost(t *testing.T) {
	inv, err := inventory.Load([]string{"h1,h2,"})
	if err != nil {
		t.Fatal(err)
	}
	pb := loadPlay(t, `- hosts: all
  gather_facts: false
  tasks:
    - gossible_test.t.sh: cmd=true
    - gossible_test.t.echo: msg=local
    - gossible_test.t.sh: cmd=true
- hosts: all
  gather_facts: false
  tasks:
    - gossible_test.t.sh: cmd=true
`)
	dials, conns := runCounting(t, inv, pb)
	if dials["h1"] != 1 || dials["h2"] != 1 || len(dials) != 2 {
		t.Errorf("dials = %v, want one per host", dials)
	}
	for _, c := range conns {
		if c.closed != 1 {
			t.Errorf("connection closed %d times, want 1", c.closed)
		}
		if !c.removedTmp {
			t.Errorf("scratch directory not removed")
		}
	}
}

// runCounting runs pb on inv over local connections, failing t unless every
// host is ok; it returns the dials per host and every connection made.
func runCounting(t *testing.T, inv *inventory.Inventory, pb *playbook.Playbook) (map[string]int, []*countingConn) {
	t.Helper()
	var mu sync.Mutex
	dials := map[string]int{}
	var conns []*countingConn
	dial := func(ctx context.Context, kind string, cfg transport.Config) (transport.Conn, error) {
		mu.Lock()
		defer mu.Unlock()
		dials[cfg.Host]++
		c := &countingConn{Conn: local.New()}
		conns = append(conns, c)
		return c, nil
	}
	var out bytes.Buffer
	res, err := executor.Run(context.Background(), []*playbook.Playbook{pb}, executor.Options{
		Inventory: inv, Callback: defaultcb.New(display.New(&out, &out, false), 0), Dial: dial,
	})
	if err != nil || res.Failed || res.Unreachable {
		t.Fatalf("run: %v %+v\n%s", err, res, out.String())
	}
	return dials, conns
}

type countingConn struct {
	transport.Conn
	closed     int
	removedTmp bool
}

func (c *countingConn) Exec(ctx context.Context, cmd transport.Cmd) (transport.Result, error) {
	if strings.HasPrefix(cmd.Line, "rm -rf -- ") && strings.Contains(cmd.Line, "gossible-tmp-") {
		c.removedTmp = true
	}
	return c.Conn.Exec(ctx, cmd)
}

func (c *countingConn) Close() error { c.closed++; return c.Conn.Close() }

// TestUnreachable: a host whose connection fails is UNREACHABLE, drops out
// of the run, and the others go on.
func TestUnreachable(t *testing.T) {
	pb := loadPlay(t, "- hosts: all\n  gather_facts: false\n  tasks:\n    - gossible_test.t.sh: cmd=true\n    - gossible_test.t.sh: cmd=true\n")
	res, out := runWithDownHost(t, pb)
	if !res.Unreachable || res.Stats["down"].Unreachable != 1 || res.Stats["up"].Changed != 2 {
		t.Errorf("outcome %+v, stats down=%+v up=%+v", res, res.Stats["down"], res.Stats["up"])
	}
	if !strings.Contains(out, `fatal: [down]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: u@down: connection refused", "unreachable": true}`) {
		t.Errorf("unexpected output:\n%s", out)
	}
	if strings.Count(out, "[down]") != 1 {
		t.Errorf("unreachable host kept running:\n%s", out)
	}
}

// TestInterrupt: cancelling the context stops the run with ErrInterrupted
// and shows no result for the interrupted task.
func TestInterrupt(t *testing.T) {
	inv, err := inventory.Load([]string{"localhost,"})
	if err != nil {
		t.Fatal(err)
	}
	pb := loadPlay(t, "- hosts: all\n  gather_facts: false\n  tasks:\n    - gossible_test.t.sh: cmd='sleep 10'\n    - gossible_test.t.echo: msg=after\n")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	var out bytes.Buffer
	start := time.Now()
	_, err = executor.Run(ctx, []*playbook.Playbook{pb}, executor.Options{
		Inventory: inv, Connection: "local", Callback: defaultcb.New(display.New(&out, &out, false), 0),
	})
	if !errors.Is(err, executor.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("interrupt took %v", time.Since(start))
	}
	if strings.Contains(out.String(), "after") || strings.Contains(out.String(), "fatal") {
		t.Errorf("output after interrupt:\n%s", out.String())
	}
}

// runWithDownHost runs pb on hosts "up" (local) and "down" (whose connection
// is refused) and returns the result and the default callback's output.
func runWithDownHost(t *testing.T, pb *playbook.Playbook) (*executor.Outcome, string) {
	t.Helper()
	inv, err := inventory.Load([]string{"up,down,"})
	if err != nil {
		t.Fatal(err)
	}
	dial := func(ctx context.Context, kind string, cfg transport.Config) (transport.Conn, error) {
		if cfg.Host == "down" {
			return nil, &transport.UnreachableError{Host: "down", User: "u", Err: errors.New("connection refused")}
		}
		return local.New(), nil
	}
	var out bytes.Buffer
	res, err := executor.Run(context.Background(), []*playbook.Playbook{pb}, executor.Options{
		Inventory: inv, Callback: defaultcb.New(display.New(&out, &out, false), 0), Dial: dial,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, out.String()
}
