package lincheck

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/agent"
	"github.com/gossible/gossible/internal/retry"
	"github.com/hashicorp/consul/api"
)

// cluster is three in-process servers on their own loopback addresses;
// any of them can be stopped and started again on its data dir.
type cluster struct {
	t    *testing.T
	ips  []string
	dirs []string

	mu     sync.Mutex
	agents []*agent.Agent // nil while stopped
}

// loopbackBase picks a /24 under 127.0.0.0/8 from the pid, away from the
// range the agent package's own tests use, so parallel runs do not meet.
func loopbackBase() string {
	pid := os.Getpid()
	return fmt.Sprintf("127.%d.%d.", 230+pid%20, (pid/20)%250)
}

func newCluster(t *testing.T) *cluster {
	c := &cluster{t: t, agents: make([]*agent.Agent, 3)}
	base := loopbackBase()
	for i := range 3 {
		c.ips = append(c.ips, base+strconv.Itoa(i+1))
		c.dirs = append(c.dirs, t.TempDir())
	}
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, a := range c.agents {
			if a != nil {
				a.Shutdown()
			}
		}
	})
	for i := range 3 {
		c.start(i)
	}
	return c
}

func (c *cluster) config(i int) *agent.Config {
	cfg := agent.TestConfig(fmt.Sprintf("srv%d", i+1), c.ips[i], c.dirs[i])
	cfg.Server, cfg.BootstrapExpect = true, 3
	for j, ip := range c.ips {
		if j != i {
			cfg.RetryJoin = append(cfg.RetryJoin, ip)
		}
	}
	if os.Getenv("LINCHECK_LOG") != "" {
		cfg.LogOutput, cfg.LogLevel = os.Stderr, "info"
	}
	return cfg
}

// start starts server i on its address and data dir.
func (c *cluster) start(i int) {
	c.t.Helper()
	a, err := agent.New(c.config(i))
	if err != nil {
		c.t.Fatalf("new server %d: %v", i+1, err)
	}
	if err := a.Start(); err != nil {
		c.t.Fatalf("start server %d: %v", i+1, err)
	}
	c.mu.Lock()
	c.agents[i] = a
	c.mu.Unlock()
}

// stop shuts server i down without leaving, as a crash would look.
func (c *cluster) stop(i int) {
	c.mu.Lock()
	a := c.agents[i]
	c.agents[i] = nil
	c.mu.Unlock()
	if a != nil {
		a.Shutdown()
	}
}

// httpAddr is server i's HTTP API address (it is the same across restarts).
func (c *cluster) httpAddr(i int) string {
	return net.JoinHostPort(c.ips[i], strconv.Itoa(agent.DefaultHTTPPort))
}

// leader asks the running servers who leads and answers its index.
func (c *cluster) leader() (int, error) {
	for i := range c.ips {
		c.mu.Lock()
		up := c.agents[i] != nil
		c.mu.Unlock()
		if !up {
			continue
		}
		addr, err := newClient(c.httpAddr(i), time.Second, nil).Status().Leader()
		if err != nil || addr == "" {
			continue
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return -1, fmt.Errorf("leader address %q: %w", addr, err)
		}
		for j, ip := range c.ips {
			if ip == host {
				return j, nil
			}
		}
		return -1, fmt.Errorf("leader %s is not one of %v", addr, c.ips)
	}
	return -1, errors.New("no server knows a leader")
}

// waitReady waits until every running server takes a consistent write
// and read.
func (c *cluster) waitReady(timeout time.Duration) {
	c.t.Helper()
	retry.Until(c.t, timeout, func() error {
		for i := range c.ips {
			c.mu.Lock()
			up := c.agents[i] != nil
			c.mu.Unlock()
			if !up {
				continue
			}
			kv := newClient(c.httpAddr(i), 2*time.Second, nil).KV()
			if _, err := kv.Put(&api.KVPair{Key: "lincheck/ready", Value: []byte("1")}, nil); err != nil {
				return fmt.Errorf("server %d: %w", i+1, err)
			}
			if _, _, err := kv.Get("lincheck/ready", &api.QueryOptions{RequireConsistent: true}); err != nil {
				return fmt.Errorf("server %d: %w", i+1, err)
			}
		}
		return nil
	})
}

// newClient is HashiCorp's API client for one server, with a request
// timeout so a stuck request ends as an unknown outcome.
// A nil transport makes a one-off client that keeps no connection open.
func newClient(addr string, timeout time.Duration, tr *http.Transport) *api.Client {
	if tr == nil {
		tr = &http.Transport{DisableKeepAlives: true}
	}
	hc := &http.Client{Timeout: timeout, Transport: tr}
	c, err := api.NewClient(&api.Config{Address: addr, HttpClient: hc})
	if err != nil {
		// api.NewClient fails only on bad TLS settings, which are not used.
		panic(fmt.Sprintf("consul api client: %v", err))
	}
	return c
}
