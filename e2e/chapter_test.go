package e2e

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/lab"
)

// Set by TestChapter for TestDifferential: gossible's results on its fresh
// cluster, compared with ansible-playbook's on another.
var (
	gossibleFirst  *playOutput
	gossibleOut    string
	gossibleState  *clusterState
	gossibleTiming = map[runKind]time.Duration{}
)

// gossibleRun is the chapter's command, run from the controller in the
// mounted repository: `gossible -i hosts/serv-disc consul.yml`.
func (c *chapterCluster) gossibleRun(t testing.TB, extra ...string) (string, playOutput, time.Duration, error) {
	args := append([]string{"gossible", "-i", "hosts/serv-disc", "consul.yml"}, extra...)
	t.Helper()
	return c.playbook(t, lab.RepoMount, args...)
}

// TestChapter is chapter 8 end to end with gossible on one fresh cluster:
// the first run, the cluster and its key/value store, a second run, --tags,
// --check, and an agent killed and brought back by the playbook.
func TestChapter(t *testing.T) {
	requireCluster(t)
	c := upChapter(t, "g")

	ok := t.Run("first_run", func(t *testing.T) {
		out, p, took, err := c.gossibleRun(t)
		if err != nil {
			t.Fatal(err)
		}
		gossibleTiming[firstRun], gossibleOut = took, out
		c.checkRunOutput(t, firstRun, p)
		st := c.checkChapterState(t)
		if !t.Failed() {
			gossibleFirst, gossibleState = &p, &st
		}
	})
	if !ok {
		t.Fatal("first run failed: the other steps need a converged cluster")
	}
	t.Run("kv_across_hosts", func(t *testing.T) { c.checkKVAcrossHosts(t) })
	t.Run("kv_session", func(t *testing.T) { c.checkKVSession(t) })

	t.Run("second_run", func(t *testing.T) {
		before := c.checkChapterState(t)
		_, p, took, err := c.gossibleRun(t)
		if err != nil {
			t.Fatal(err)
		}
		gossibleTiming[rerun] = took
		c.checkRunOutput(t, rerun, p)
		if after := c.checkChapterState(t); !reflect.DeepEqual(after, before) {
			t.Errorf("second run changed the cluster:\nbefore %+v\nafter  %+v", before, after)
		}
	})

	t.Run("tags", func(t *testing.T) {
		// Every task of the role is tagged consul; fact gathering is tagged
		// always, so --tags consul is the full run and a tag nothing
		// carries leaves fact gathering alone.
		_, p, _, err := c.gossibleRun(t, "--tags", "consul")
		if err != nil {
			t.Fatal(err)
		}
		c.checkRunOutput(t, rerun, p)
		_, p, _, err = c.gossibleRun(t, "--tags", "nosuchtag")
		if err != nil {
			t.Fatal(err)
		}
		c.checkRunOutput(t, noTagRun, p)
		c.checkChapterState(t)
	})

	t.Run("check_mode", func(t *testing.T) {
		before := c.hostSnapshot(t)
		_, p, _, err := c.gossibleRun(t, "--check")
		if err != nil {
			t.Fatal(err)
		}
		c.checkRunOutput(t, checkRun, p)
		if after := c.hostSnapshot(t); !reflect.DeepEqual(after, before) {
			t.Errorf("--check changed the hosts:\nbefore %v\nafter  %v", before, after)
		}
	})

	t.Run("agent_failure", func(t *testing.T) { c.checkAgentFailure(t) })
}

// hostSnapshot is every host's /data/consul listing with sizes and times,
// and its agent pids: anything a run changes shows here.
func (c *chapterCluster) hostSnapshot(t *testing.T) []string {
	t.Helper()
	var snap []string
	for i, h := range c.Hosts {
		l, err := c.listing(i, true)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		bin, err := c.onHost(i, "stat", "-c", "%n %a %s %Y", "/usr/local/bin/consul")
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		pids, err := c.agentPIDs(i)
		if err != nil {
			t.Fatalf("%s: %v", h.Name, err)
		}
		snap = append(snap, h.Name+": "+strings.Join(l, ", ")+"; "+strings.TrimSpace(bin)+"; agents "+strings.Join(pids, " "))
	}
	return snap
}

// checkAgentFailure kills serv-disc-02's agent without letting it leave,
// waits for the server to mark it failed, and reruns the playbook, which
// must start it again with the cluster's data intact.
func (c *chapterCluster) checkAgentFailure(t *testing.T) {
	const key, value = "e2e/before-failure", "written before serv-disc-02 died"
	if body, code, err := c.curl("PUT", c.apiURL(0, "/v1/kv/"+key), strings.NewReader(value)); err != nil || code != 200 || strings.TrimSpace(body) != "true" {
		t.Fatalf("PUT %s: %d %q %v", key, code, body, err)
	}
	pids, err := c.agentPIDs(1)
	if err != nil || len(pids) != 1 {
		t.Fatalf("serv-disc-02: want one agent before the kill, got %v (%v)", pids, err)
	}
	// SIGKILL: a terminated agent would leave gracefully ("left"), the
	// chapter's failure is a node that just disappears.
	if _, err := c.onHost(1, "kill", "-KILL", pids[0]); err != nil {
		t.Fatalf("kill agent %s on serv-disc-02: %v", pids[0], err)
	}
	t.Logf("killed consul agent pid %s on serv-disc-02", pids[0])
	start := time.Now()
	want := c.wantMembers(map[string]string{c.Hosts[1].Name: "failed"})
	if err := c.waitMembers(0, want, 30*time.Second); err != nil {
		t.Fatalf("server never saw serv-disc-02 fail: %v", err)
	}
	t.Logf("serv-disc-02 failed in serv-disc-01's view after %s", time.Since(start).Round(time.Millisecond))

	_, p, _, err := c.gossibleRun(t)
	if err != nil {
		t.Fatal(err)
	}
	c.checkRunOutput(t, rerun, p)
	c.checkChapterState(t) // every host's members alive again, one agent each
	err = eventually(15*time.Second, 250*time.Millisecond, func() error {
		body, code, err := c.curl("GET", c.apiURL(1, "/v1/kv/"+key+"?raw"), nil)
		if err == nil && (code != 200 || body != value) {
			err = fmt.Errorf("GET %s?raw through serv-disc-02: %d %q, want 200 %q", key, code, body, value)
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}
