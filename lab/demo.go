package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultRunArgs is what `gossible lab run` runs without arguments: the
// chapter's playbook against the chapter's inventory.
var DefaultRunArgs = []string{"-i", "hosts/serv-disc", "consul.yml"}

// kvSession is the chapter's key/value session, run on the first host
// against its local agent: what is shown, and what runs.
var kvSession = []struct {
	show string
	args []string
}{
	{`curl -X PUT -d 'this is a test' http://localhost:8500/v1/kv/msg1`,
		[]string{"curl", "-sS", "-X", "PUT", "-d", "this is a test", "http://localhost:8500/v1/kv/msg1"}},
	{`curl -X PUT -d 'this is another test' http://localhost:8500/v1/kv/messages/msg2`,
		[]string{"curl", "-sS", "-X", "PUT", "-d", "this is another test", "http://localhost:8500/v1/kv/messages/msg2"}},
	{`curl -X PUT -d 'this is a test with flags' 'http://localhost:8500/v1/kv/messages/msg3?flags=1234'`,
		[]string{"curl", "-sS", "-X", "PUT", "-d", "this is a test with flags", "http://localhost:8500/v1/kv/messages/msg3?flags=1234"}},
	{`curl 'http://localhost:8500/v1/kv/?recurse' | python3 -m json.tool`,
		[]string{"sh", "-c", "curl -sS 'http://localhost:8500/v1/kv/?recurse' | python3 -m json.tool"}},
	{`curl http://localhost:8500/v1/kv/msg1`,
		[]string{"curl", "-sS", "http://localhost:8500/v1/kv/msg1"}},
	{`curl 'http://localhost:8500/v1/kv/msg1?raw'`,
		[]string{"curl", "-sS", "http://localhost:8500/v1/kv/msg1?raw"}},
	{`curl -X DELETE http://localhost:8500/v1/kv/messages/msg2`,
		[]string{"curl", "-sS", "-X", "DELETE", "http://localhost:8500/v1/kv/messages/msg2"}},
	{`curl -X DELETE 'http://localhost:8500/v1/kv/?recurse'`,
		[]string{"curl", "-sS", "-X", "DELETE", "http://localhost:8500/v1/kv/?recurse"}},
	{`curl -s -o /dev/null -w '%{http_code}' http://localhost:8500/v1/kv/msg1    # gone: 404`,
		[]string{"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://localhost:8500/v1/kv/msg1"}},
}

// Demo runs the chapter on the cluster: the consul playbook from the
// controller, `consul members` once all hosts have joined, then the KV
// session with curl on serv-disc-01. Everything it runs is echoed to w.
func (c *Cluster) Demo(ctx context.Context, w io.Writer) error {
	if c.opts.RepoDir == "" || c.Controller == nil {
		return errors.New("lab demo needs a controller with the repository mounted")
	}
	if c.Subnet != DefaultSubnet {
		return fmt.Errorf("lab demo needs subnet %s: hosts/serv-disc names those addresses", DefaultSubnet)
	}
	agent := filepath.Join(c.opts.RepoDir, "roles/consul/files/consul")
	if st, err := os.Stat(agent); err != nil || st.Mode()&0o111 == 0 {
		return fmt.Errorf("consul agent binary missing or not executable: %s (hint: make consul)", agent)
	}
	args := append([]string{"gossible"}, DefaultRunArgs...)
	fmt.Fprintf(w, "$ %s    # in %s on %s\n", strings.Join(args, " "), RepoMount, c.Controller.Name)
	if err := c.Run(ctx, args...); err != nil {
		return fmt.Errorf("run playbook: %w", err)
	}
	first := c.Hosts[0]
	fmt.Fprintf(w, "\n$ consul members    # on %s\n", first.Name)
	members, err := c.waitMembers(ctx, first, len(c.Hosts), 30*time.Second)
	fmt.Fprint(w, members)
	if err != nil {
		return err
	}
	for _, cmd := range kvSession {
		fmt.Fprintf(w, "\n$ %s\n", cmd.show)
		out, err := c.Output(ctx, first.Container, cmd.args...)
		fmt.Fprint(w, out)
		if out != "" && !strings.HasSuffix(out, "\n") {
			fmt.Fprintln(w)
		}
		if err != nil {
			return fmt.Errorf("kv session on %s: %w", first.Name, err)
		}
	}
	return nil
}

// waitMembers polls `consul members` until want members are alive.
func (c *Cluster) waitMembers(ctx context.Context, h Host, want int, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for {
		out, err := c.Output(ctx, h.Container, "consul", "members")
		if err == nil && strings.Count(out, " alive ") >= want {
			return out, nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("%d of %d members alive", strings.Count(out, " alive "), want)
			}
			return out, fmt.Errorf("consul members on %s after %s: %w", h.Name, limit, err)
		}
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
