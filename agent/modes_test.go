package agent

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/serf/serf"

	"github.com/gossible/gossible/internal/retry"
)

func TestDevMode(t *testing.T) {
	ip := nextIP()
	c := DefaultConfig()
	c.DevMode, c.Server, c.NodeName, c.BindAddr, c.ClientAddr = true, true, "dev", ip, ip
	c.Raft = TestConfig("x", ip, "").Raft
	c.LogOutput = testConfig(t, "x").LogOutput
	a := startWith(t, c)
	waitLeader(t, a)
	if r := do(t, "PUT", a.testURL("/v1/kv/k"), "v"); r.code != 200 {
		t.Fatalf("put: %d %s", r.code, r.body)
	}
	if r := do(t, "GET", a.testURL("/v1/kv/k?raw"), ""); r.body != "v" {
		t.Fatalf("get: %q", r.body)
	}
}

func TestGossipEncryption(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	other := base64.StdEncoding.EncodeToString([]byte("fedcba9876543210"))
	withKey := func(k string) agentOpt { return func(c *Config) { c.EncryptKey = k } }
	s := startAgent(t, "enc-srv", bootstrap, withKey(key))
	same := startAgent(t, "enc-same", withKey(key))
	joinTo(t, same, s)
	retry.Until(t, 5*time.Second, func() error {
		if n := aliveMembers(s); n != 2 {
			return fmt.Errorf("%d members", n)
		}
		return nil
	})
	wrong := startAgent(t, "enc-wrong", withKey(other))
	if _, err := wrong.Join([]string{s.config.BindAddr}); err == nil {
		t.Fatal("join with a different key succeeded")
	}
	for _, k := range []string{"not-base64!", "c2hvcnQ="} {
		if _, err := New(testConfig(t, "bad", withKey(k))); err == nil || !strings.Contains(err.Error(), "invalid encryption key") {
			t.Fatalf("key %q: %v", k, err)
		}
	}
}

func TestRetryJoinAndBootstrapExpect(t *testing.T) {
	s1c := testConfig(t, "rj1", expect(2))
	s2c := testConfig(t, "rj2", expect(2))
	// rj1 retries joining rj2 before rj2 exists.
	s1c.RetryJoin = []string{s2c.BindAddr}
	s1 := startWith(t, s1c)
	s2 := startWith(t, s2c)
	retry.Until(t, 10*time.Second, func() error {
		if leaderOf([]*Agent{s1, s2}) == nil {
			return errors.New("no leader")
		}
		for _, m := range s1.Members() {
			if m.Name == "rj2" && m.Status == serf.StatusAlive {
				return nil
			}
		}
		return errors.New("rj2 not a member yet")
	})
	if r := do(t, "PUT", s2.testURL("/v1/kv/x"), "1"); r.code != 200 {
		t.Fatalf("put: %d %s", r.code, r.body)
	}
}

func TestSessionTTLAndNodeLeave(t *testing.T) {
	c := testConfig(t, "ttl", bootstrap)
	c.SessionTTLMultiplier = 1
	a := startWith(t, c)
	waitLeader(t, a)
	r := do(t, "PUT", a.testURL("/v1/session/create"), `{"TTL": "10s", "LockDelay": "0s"}`)
	if r.code != 200 || !strings.Contains(r.body, `"ID"`) {
		t.Fatalf("create: %d %s", r.code, r.body)
	}
	if r := do(t, "PUT", a.testURL("/v1/session/create"), `{"TTL": "1ms"}`); r.code != 500 ||
		r.body != "Invalid Session TTL '1ms', must be between [10ms=24h0m0s]" {
		t.Fatalf("short ttl: %d %q", r.code, r.body)
	}
	// A TTL session that is renewed lives; once renewals stop it expires
	// and releases its lock.
	r = do(t, "PUT", a.testURL("/v1/session/create"), `{"TTL": "800ms", "LockDelay": "0s"}`)
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(r.body), &created); err != nil || created.ID == "" {
		t.Fatalf("create ttl session: %s %v", r.body, err)
	}
	if r := do(t, "PUT", a.testURL("/v1/kv/ttl-lock?acquire="+created.ID), "x"); r.body != "true" {
		t.Fatalf("acquire: %s", r.body)
	}
	for range 4 {
		time.Sleep(150 * time.Millisecond) // renew cadence, not a wait for a condition
		if r := do(t, "PUT", a.testURL("/v1/session/renew/"+created.ID), ""); r.code != 200 || !strings.Contains(r.body, created.ID) {
			t.Fatalf("renew: %d %s", r.code, r.body)
		}
	}
	retry.Until(t, 5*time.Second, func() error {
		if r := do(t, "GET", a.testURL("/v1/session/info/"+created.ID), ""); r.body != "[]" {
			return fmt.Errorf("session still there: %s", r.body)
		}
		return nil
	})
	if r := do(t, "GET", a.testURL("/v1/kv/ttl-lock"), ""); strings.Contains(r.body, created.ID) {
		t.Fatalf("lock kept after expiry: %s", r.body)
	}
	if r := do(t, "PUT", a.testURL("/v1/session/renew/nope"), ""); r.code != 404 || r.body != "Session id 'nope' not found" {
		t.Fatalf("renew missing: %d %q", r.code, r.body)
	}
	// A client's sessions die when it leaves.
	cl := startAgent(t, "ttl-client")
	joinTo(t, cl, a)
	r = do(t, "PUT", cl.testURL("/v1/session/create"), "")
	if r.code != 200 {
		t.Fatalf("client create: %d %s", r.code, r.body)
	}
	if r := do(t, "GET", a.testURL("/v1/session/node/ttl-client"), ""); !strings.Contains(r.body, `"Node":"ttl-client"`) {
		t.Fatalf("node sessions: %s", r.body)
	}
	cl.Leave()
	cl.Shutdown()
	retry.Until(t, 10*time.Second, func() error {
		if r := do(t, "GET", a.testURL("/v1/session/node/ttl-client"), ""); r.body != "[]" {
			return fmt.Errorf("sessions left: %s", r.body)
		}
		return nil
	})
}
