package agent

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/retry"
)

// ipCounter hands each test agent its own loopback address, so every
// agent uses the standard ports; the second octet comes from the pid to
// keep parallel test processes apart.
var ipCounter atomic.Uint32

func nextIP() string {
	n := ipCounter.Add(1)
	return fmt.Sprintf("127.%d.%d.%d", 20+os.Getpid()%200, n/250, n%250+1)
}

type agentOpt func(*Config)

func asServer(c *Config)    { c.Server = true }
func bootstrap(c *Config)   { c.Server, c.Bootstrap = true, true }
func expect(n int) agentOpt { return func(c *Config) { c.Server, c.BootstrapExpect = true, n } }

// testConfig builds a config for an agent on a fresh loopback address.
func testConfig(t *testing.T, name string, opts ...agentOpt) *Config {
	c := TestConfig(name, nextIP(), t.TempDir())
	if os.Getenv("AGENT_TEST_LOG") != "" {
		c.LogOutput = os.Stderr
		c.LogLevel = "debug"
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func startWith(t *testing.T, c *Config) *Agent {
	t.Helper()
	a, err := New(c)
	if err != nil {
		t.Fatalf("new agent %s: %v", c.NodeName, err)
	}
	if err := a.Start(); err != nil {
		t.Fatalf("start agent %s: %v", c.NodeName, err)
	}
	t.Cleanup(func() { a.Shutdown() })
	return a
}

func startAgent(t *testing.T, name string, opts ...agentOpt) *Agent {
	t.Helper()
	return startWith(t, testConfig(t, name, opts...))
}

func (a *Agent) testURL(path string) string {
	return "http://" + a.HTTPAddr() + path
}

// waitLeader waits until the agent answers KV reads through a leader.
func waitLeader(t *testing.T, a *Agent) {
	t.Helper()
	retry.Until(t, 10*time.Second, func() error {
		resp, err := http.Get(a.testURL("/v1/status/leader"))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || strings.TrimSpace(string(b)) == `""` {
			return fmt.Errorf("leader %d %s", resp.StatusCode, b)
		}
		return nil
	})
}

type httpResult struct {
	code   int
	body   string
	header http.Header
}

func do(t *testing.T, method, url, body string) httpResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{code: resp.StatusCode, body: string(b), header: resp.Header}
}
