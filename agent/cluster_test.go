package agent

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
	"github.com/hashicorp/serf/serf"

	"github.com/gossible/gossible/internal/retry"
)

func joinTo(t *testing.T, a, to *Agent) {
	t.Helper()
	if _, err := a.Join([]string{to.config.BindAddr}); err != nil {
		t.Fatalf("%s join %s: %v", a.config.NodeName, to.config.NodeName, err)
	}
}

func aliveMembers(a *Agent) int {
	n := 0
	for _, m := range a.Members() {
		if m.Status == serf.StatusAlive {
			n++
		}
	}
	return n
}

func leaderOf(agents []*Agent) *Agent {
	for _, a := range agents {
		if a.server != nil && a.server.isLeader() {
			return a
		}
	}
	return nil
}

// TestCluster runs 3 servers (bootstrap-expect 3) and 2 clients, each
// joining only the first server.
func TestCluster(t *testing.T) {
	var servers []*Agent
	for i := 1; i <= 3; i++ {
		servers = append(servers, startAgent(t, fmt.Sprintf("srv%d", i), expect(3)))
	}
	c1 := startAgent(t, "cli1")
	c2 := startAgent(t, "cli2")
	for _, a := range []*Agent{servers[1], servers[2], c1, c2} {
		joinTo(t, a, servers[0])
	}
	all := append(append([]*Agent{}, servers...), c1, c2)
	retry.Until(t, 10*time.Second, func() error {
		for _, a := range all {
			if n := aliveMembers(a); n != 5 {
				return fmt.Errorf("%s sees %d alive members", a.config.NodeName, n)
			}
		}
		return nil
	})
	retry.Until(t, 10*time.Second, func() error {
		if leaderOf(servers) == nil {
			return errors.New("no leader")
		}
		for _, s := range servers {
			f := s.server.raft.GetConfiguration()
			if err := f.Error(); err != nil {
				return err
			}
			if n := len(f.Configuration().Servers); n != 3 {
				return fmt.Errorf("%s has %d raft peers", s.config.NodeName, n)
			}
		}
		return nil
	})

	// Writes through a client land on the servers; a client holds no data.
	ckv := apiClient(t, c1).KV()
	if _, err := ckv.Put(&api.KVPair{Key: "via/client", Value: []byte("1")}, nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		retry.Until(t, 5*time.Second, func() error {
			if _, e := s.server.store.Get("via/client"); e == nil {
				return fmt.Errorf("%s lacks the key", s.config.NodeName)
			}
			return nil
		})
	}
	if p, _, err := apiClient(t, c2).KV().Get("via/client", nil); err != nil || p == nil {
		t.Fatalf("read through other client: %v %v", p, err)
	}
	retry.Until(t, 10*time.Second, func() error {
		leader, err := apiClient(t, c2).Status().Leader()
		if err != nil || !strings.HasSuffix(leader, ":8300") {
			return fmt.Errorf("leader through client: %q %v", leader, err)
		}
		return nil
	})

	// Keep writing through a client while the leader dies; every
	// acknowledged write must survive.
	var old *Agent
	retry.Until(t, 10*time.Second, func() error {
		if old = leaderOf(servers); old == nil {
			return errors.New("no leader")
		}
		return nil
	})
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		kv := apiClient(t, c2).KV()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			k := fmt.Sprintf("w/%04d", i)
			if _, err := kv.Put(&api.KVPair{Key: k, Value: []byte(k)}, nil); err == nil {
				mu.Lock()
				acked = append(acked, k)
				mu.Unlock()
			}
		}
	}()
	retry.Until(t, 20*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(acked) < 20 {
			return fmt.Errorf("only %d writes", len(acked))
		}
		return nil
	})
	old.Shutdown()
	var rest []*Agent
	for _, s := range servers {
		if s != old {
			rest = append(rest, s)
		}
	}
	retry.Until(t, 10*time.Second, func() error {
		if l := leaderOf(rest); l == nil {
			return errors.New("no new leader")
		}
		return nil
	})
	retry.Until(t, 20*time.Second, func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(acked) < 40 {
			return fmt.Errorf("only %d writes", len(acked))
		}
		return nil
	})
	close(stop)
	wg.Wait()
	if l := leaderOf(rest); l == old || l == nil {
		t.Fatal("leadership did not move")
	}
	t.Logf("%d acknowledged writes across the leader change", len(acked))
	list, _, err := apiClient(t, c1).KV().List("w/", &api.QueryOptions{RequireConsistent: true})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range list {
		have[p.Key] = true
	}
	for _, k := range acked {
		if !have[k] {
			t.Fatalf("acknowledged write %s lost (%d acked, %d present)", k, len(acked), len(list))
		}
	}

	// The killed leader restarts on its data dir, rejoins through its gossip
	// snapshot, and catches up with every acknowledged write.
	oc := TestConfig(old.config.NodeName, old.config.BindAddr, old.config.DataDir)
	oc.Server, oc.BootstrapExpect, oc.LogOutput = true, 3, old.config.LogOutput
	back := startWith(t, oc)
	retry.Until(t, 10*time.Second, func() error {
		for _, k := range acked {
			if _, e := back.server.store.Get(k); e == nil {
				return fmt.Errorf("restarted server lacks %s", k)
			}
		}
		return nil
	})
	servers = append(rest, back)
	retry.Until(t, 10*time.Second, func() error {
		l := leaderOf(servers)
		if l == nil {
			return errors.New("no leader")
		}
		f := l.server.raft.GetConfiguration()
		if err := f.Error(); err != nil {
			return err
		}
		if n := len(f.Configuration().Servers); n != 3 {
			return fmt.Errorf("%d raft peers after restart", n)
		}
		return nil
	})

	// A follower leaving gracefully keeps a working two-server cluster.
	var follower *Agent
	for _, s := range servers {
		if !s.server.isLeader() {
			follower = s
			break
		}
	}
	if err := follower.Leave(); err != nil {
		t.Fatal(err)
	}
	follower.Shutdown()
	retry.Until(t, 10*time.Second, func() error {
		_, err := apiClient(t, c1).KV().Put(&api.KVPair{Key: "after/leave", Value: []byte("1")}, nil)
		return err
	})

	// The leader leaving hands the cluster to the last server.
	var remaining []*Agent
	for _, s := range servers {
		if s != follower {
			remaining = append(remaining, s)
		}
	}
	var lead *Agent
	retry.Until(t, 10*time.Second, func() error {
		if lead = leaderOf(remaining); lead == nil {
			return errors.New("no leader among the remaining servers")
		}
		return nil
	})
	if err := lead.Leave(); err != nil {
		t.Fatal(err)
	}
	lead.Shutdown()
	retry.Until(t, 10*time.Second, func() error {
		_, err := apiClient(t, c1).KV().Put(&api.KVPair{Key: "after/leader-leave", Value: []byte("1")}, nil)
		return err
	})

	// A blocking query through a client wakes on a write through another.
	kv1 := apiClient(t, c1).KV()
	_, meta, err := kv1.Get("watched", nil)
	if err != nil {
		t.Fatal(err)
	}
	woke := make(chan error, 1)
	go func() {
		p, _, err := kv1.Get("watched", &api.QueryOptions{WaitIndex: meta.LastIndex, WaitTime: 10 * time.Second})
		if err == nil && (p == nil || string(p.Value) != "x") {
			err = fmt.Errorf("woke with %+v", p)
		}
		woke <- err
	}()
	if _, err := apiClient(t, c2).KV().Put(&api.KVPair{Key: "watched", Value: []byte("x")}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-woke:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("blocking query through a client did not wake")
	}

	// A client leaving shows as left everywhere.
	if err := c2.Leave(); err != nil {
		t.Fatal(err)
	}
	c2.Shutdown()
	retry.Until(t, 10*time.Second, func() error {
		for _, m := range c1.Members() {
			if m.Name == "cli2" && m.Status != serf.StatusLeft {
				return fmt.Errorf("cli2 is %s", m.Status)
			}
		}
		return nil
	})
}

// TestRestartKeepsData restarts a single server on its data dir.
func TestRestartKeepsData(t *testing.T) {
	c := testConfig(t, "keep", bootstrap)
	a := startWith(t, c)
	waitLeader(t, a)
	if r := do(t, "PUT", a.testURL("/v1/kv/persist?flags=9"), "kept"); r.code != 200 {
		t.Fatal(r.body)
	}
	idx := do(t, "GET", a.testURL("/v1/kv/persist"), "").header.Get("X-Consul-Index")
	a.Shutdown()

	c2 := TestConfig("keep", c.BindAddr, c.DataDir)
	c2.Server, c2.Bootstrap = true, true
	b := startWith(t, c2)
	waitLeader(t, b)
	var r httpResult
	retry.Until(t, 5*time.Second, func() error {
		r = do(t, "GET", b.testURL("/v1/kv/persist?raw"), "")
		if r.code != 200 {
			return fmt.Errorf("status %d", r.code)
		}
		return nil
	})
	if r.body != "kept" || r.header.Get("X-Consul-Index") != idx {
		t.Fatalf("after restart: %q index %s (was %s)", r.body, r.header.Get("X-Consul-Index"), idx)
	}
}

func TestSecondAgentRefused(t *testing.T) {
	c := testConfig(t, "one", bootstrap)
	a := startWith(t, c)
	waitLeader(t, a)
	tests := []struct {
		name string
		cfg  func() *Config
		want string
	}{
		{name: "same data dir", cfg: func() *Config {
			c2 := testConfig(t, "two", bootstrap)
			c2.DataDir = c.DataDir
			return c2
		}, want: "another agent (pid "},
		{name: "busy ports", cfg: func() *Config {
			c2 := testConfig(t, "two", bootstrap)
			c2.BindAddr, c2.ClientAddr = c.BindAddr, c.ClientAddr
			return c2
		}, want: "address already in use"},
		{name: "unwritable data dir", cfg: func() *Config {
			c2 := testConfig(t, "two", bootstrap)
			c2.DataDir = "/proc/nope"
			return c2
		}, want: "create data dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := New(tt.cfg())
			if err != nil {
				t.Fatal(err)
			}
			err = b.Start()
			if err == nil {
				b.Shutdown()
				t.Fatal("second agent started")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q lacks %q", err, tt.want)
			}
		})
	}
	// The first agent is untouched.
	if r := do(t, "PUT", a.testURL("/v1/kv/still"), "up"); r.code != 200 {
		t.Fatalf("first agent broken: %d %s", r.code, r.body)
	}
}
