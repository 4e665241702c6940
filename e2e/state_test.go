package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// The chapter's layout on every host (roles/consul/defaults/main.yml).
var chapterDirs = []string{"/data/consul/data", "/data/consul/config", "/data/consul/logs"}

// member is one row of `consul members`.
type member struct{ Node, Addr, Status, Type string }

// hostState is what the playbook leaves on one host, in a form two clusters
// can be compared by (no pids, no times).
type hostState struct {
	Listing []string // /data/consul without the agent's data: "path type mode"
	Binary  string   // mode and sha256 of /usr/local/bin/consul
	Agents  int      // `consul agent` processes
	Members []member // as this host's agent sees the cluster
}

// clusterState is every host's state plus the leader the server reports.
type clusterState struct {
	Hosts  []hostState
	Leader string
}

// listing lists /data/consul but not inside data/ (raft's files change on
// their own); with sizes and times, data/ and the agent's log are skipped.
func (c *chapterCluster) listing(i int, times bool) ([]string, error) {
	args := []string{"find", "/data/consul", "-path", "/data/consul/data/*", "-prune", "-o", "-printf", `%p %y %m\n`}
	if times {
		args = []string{"find", "/data/consul", "(", "-path", "/data/consul/data", "-o", "-path", "/data/consul/logs/*", ")",
			"-prune", "-o", "-printf", `%p %y %m %s %T@\n`}
	}
	out, err := c.onHost(i, args...)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	sort.Strings(lines)
	return lines, nil
}

// agentPIDs are the host's `consul agent` processes (pid and arguments).
func (c *chapterCluster) agentPIDs(i int) ([]string, error) {
	out, err := c.onHost(i, "ps", "-eo", "pid=,args=")
	if err != nil {
		return nil, err
	}
	var pids []string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && filepath.Base(f[1]) == "consul" && f[2] == "agent" {
			pids = append(pids, f[0])
		}
	}
	return pids, nil
}

// members runs `consul members` on host i against its own agent.
func (c *chapterCluster) members(i int) ([]member, error) {
	out, err := c.onHost(i, "consul", "members")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "Node") {
		return nil, fmt.Errorf("consul members on %s: unexpected output %q", c.Hosts[i].Name, out)
	}
	var ms []member
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 4 {
			return nil, fmt.Errorf("consul members on %s: short row %q", c.Hosts[i].Name, l)
		}
		ms = append(ms, member{f[0], f[1], f[2], f[3]})
	}
	sort.Slice(ms, func(a, b int) bool { return ms[a].Node < ms[b].Node })
	return ms, nil
}

// wantMembers is the chapter's cluster seen from any host: serv-disc-01 the
// one server, every node in the given status (default alive).
func (c *chapterCluster) wantMembers(status map[string]string) []member {
	var ms []member
	for i, h := range c.Hosts {
		typ := "client"
		if i == 0 {
			typ = "server"
		}
		st := status[h.Name]
		if st == "" {
			st = "alive"
		}
		ms = append(ms, member{h.Name, h.IP + ":8301", st, typ})
	}
	return ms
}

// waitMembers waits until host i's `consul members` equals want.
func (c *chapterCluster) waitMembers(i int, want []member, timeout time.Duration) error {
	var got []member
	return eventually(timeout, 250*time.Millisecond, func() error {
		var err error
		if got, err = c.members(i); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("consul members on %s: %v, want %v", c.Hosts[i].Name, got, want)
		}
		return nil
	})
}

// leader asks the server's HTTP API for the raft leader (a JSON string).
func (c *chapterCluster) leader() (string, error) {
	body, code, err := c.curl("GET", c.apiURL(0, "/v1/status/leader"), nil)
	if err != nil {
		return "", err
	}
	if code != 200 {
		return "", fmt.Errorf("GET /v1/status/leader: status %d: %s", code, body)
	}
	return strings.TrimSpace(body), nil
}

// checkChapterState asserts what the chapter promises after a run and
// returns the state for comparing with another cluster.
func (c *chapterCluster) checkChapterState(t *testing.T) clusterState {
	t.Helper()
	agentSum, err := fileSHA256(filepath.Join(repoDir, consulBin))
	if err != nil {
		t.Fatal(err)
	}
	ui, err := localUI()
	if err != nil {
		t.Fatal(err)
	}
	var st clusterState
	for i, h := range c.Hosts {
		var hs hostState
		for _, d := range chapterDirs {
			if _, err := c.onHost(i, "test", "-d", d); err != nil {
				t.Errorf("%s: directory %s missing: %v", h.Name, d, err)
			}
		}
		bin, err := c.onHost(i, "sh", "-c", "stat -c %a /usr/local/bin/consul && sha256sum /usr/local/bin/consul")
		if err != nil {
			t.Errorf("%s: /usr/local/bin/consul: %v", h.Name, err)
		}
		hs.Binary = strings.Join(strings.Fields(bin), " ")
		if want := "755 " + agentSum + " /usr/local/bin/consul"; hs.Binary != want {
			t.Errorf("%s: /usr/local/bin/consul is %q, want %q", h.Name, hs.Binary, want)
		}
		for rel, sum := range ui {
			p := "/data/consul/ui/" + rel
			got, err := c.onHost(i, "sh", "-c", `stat -c %a "$1" && sha256sum <"$1"`, "sh", p)
			if want := "644 " + sum + " -"; strings.Join(strings.Fields(got), " ") != want || err != nil {
				t.Errorf("%s: %s is %q (%v), want %q", h.Name, p, got, err, want)
			}
		}
		if hs.Listing, err = c.listing(i, false); err != nil {
			t.Errorf("%s: list /data/consul: %v", h.Name, err)
		}
		err = eventually(10*time.Second, 250*time.Millisecond, func() error {
			pids, err := c.agentPIDs(i)
			hs.Agents = len(pids)
			if err == nil && len(pids) != 1 {
				err = fmt.Errorf("%d consul agent processes: %v", len(pids), pids)
			}
			return err
		})
		if err != nil {
			t.Errorf("%s: want exactly one agent: %v", h.Name, err)
		}
		if err := c.waitMembers(i, c.wantMembers(nil), 30*time.Second); err != nil {
			t.Errorf("%s: %v", h.Name, err)
		}
		hs.Members, _ = c.members(i)
		st.Hosts = append(st.Hosts, hs)
	}
	want := `"` + c.hostIP(0) + `:8300"`
	err = eventually(30*time.Second, 250*time.Millisecond, func() error {
		var err error
		if st.Leader, err = c.leader(); err == nil && st.Leader != want {
			err = fmt.Errorf("leader %s, want %s", st.Leader, want)
		}
		return err
	})
	if err != nil {
		t.Errorf("leader: %v", err)
	}
	return st
}

// localUI maps each file under the role's files/ui to its sha256.
func localUI() (map[string]string, error) {
	root := filepath.Join(repoDir, "roles/consul/files/ui")
	sums := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		sums[filepath.ToSlash(rel)], err = fileSHA256(p)
		return err
	})
	if err == nil && len(sums) == 0 {
		err = fmt.Errorf("no files under %s", root)
	}
	return sums, err
}

func fileSHA256(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}
