package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/lab"
)

// chapterCluster is a lab cluster on the chapter's subnet with the
// repository and the test's gossible binary mounted in the controller.
type chapterCluster struct {
	*lab.Cluster
	downOnce sync.Once
}

// subnetWait bounds how long a test waits for another cluster (a developer's
// `gossible lab up`, a parallel test process) to free 10.100.194.0/24.
const subnetWait = 3 * time.Minute

// upChapter starts a fresh cluster named after tag on 10.100.194.0/24 and
// removes it when the test ends (or at down, whichever comes first).
func upChapter(t testing.TB, tag string) *chapterCluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), subnetWait+5*time.Minute)
	defer cancel()
	o := lab.Options{
		Prefix:    fmt.Sprintf("%s-%d%s-", netPrefix, os.Getpid(), tag),
		Subnet:    lab.DefaultSubnet,
		RepoDir:   repoDir,
		Binary:    gossibleBin,
		StateDir:  t.TempDir(), // not RepoDir/.lab: keep the key out of the tree
		Exclusive: true,
		Labels:    map[string]string{labelPID: strconv.Itoa(os.Getpid()), labelBoot: bootID},
	}
	start := time.Now()
	var c *lab.Cluster
	logged := false
	err := eventually(subnetWait, 3*time.Second, func() error {
		var err error
		c, err = lab.Up(ctx, o)
		if errors.Is(err, lab.ErrExists) && !logged {
			t.Logf("waiting up to %s for %s to be free (lab clusters now: %s): %v", subnetWait, o.Subnet, labNetworks(ctx), err)
			logged = true
		}
		if err != nil && !errors.Is(err, lab.ErrExists) {
			return fatal{err}
		}
		return err
	})
	var f fatal
	switch {
	case errors.As(err, &f):
		t.Fatalf("start cluster: %v", f.err)
	case err != nil && os.Getenv("CI") == "true":
		t.Fatalf("start cluster: %v", err)
	case err != nil:
		t.Skipf("needs %s free (hint: gossible lab down): %v", o.Subnet, err)
	}
	if _, bench := t.(*testing.B); !bench {
		t.Logf("cluster %s up in %s", c.Network, time.Since(start).Round(time.Millisecond))
	}
	cc := &chapterCluster{Cluster: c}
	t.Cleanup(func() { cc.down(t) })
	return cc
}

// down removes the cluster now; later calls do nothing.
func (c *chapterCluster) down(t testing.TB) {
	c.downOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := c.Down(ctx); err != nil {
			t.Errorf("remove cluster %s: %v", c.Network, err)
		}
	})
}

// labNetworks names the lab clusters on this engine, for the log of a wait.
func labNetworks(ctx context.Context) string {
	nets, err := lab.Networks(ctx)
	if err != nil {
		return err.Error()
	}
	var names []string
	for n := range nets {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func cmdCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 3*time.Minute)
}

// ctl runs args in the controller and returns stdout.
func (c *chapterCluster) ctl(args ...string) (string, error) {
	ctx, cancel := cmdCtx()
	defer cancel()
	return c.Output(ctx, c.Controller.Container, args...)
}

// onHost runs args as root in host i's container (what `vagrant ssh` + sudo
// gives on the book's VMs). Host-local commands only: anything sent to
// another host's address goes through ctl.
func (c *chapterCluster) onHost(i int, args ...string) (string, error) {
	ctx, cancel := cmdCtx()
	defer cancel()
	return c.Output(ctx, c.Hosts[i].Container, args...)
}

// curl makes one HTTP request from the controller and returns the body and
// status code; body, when not nil, is sent as the request body.
func (c *chapterCluster) curl(method, url string, body io.Reader) (string, int, error) {
	ctx, cancel := cmdCtx()
	defer cancel()
	args := []string{"curl", "-sS", "--max-time", "10", "-X", method, "-w", "\n%{http_code}"}
	if body != nil {
		args = append(args, "--data-binary", "@-")
	}
	args = append(args, url)
	var out bytes.Buffer
	err := c.Exec(ctx, c.Controller.Container, lab.ExecOptions{Stdin: body, Stdout: &out}, args...)
	if err != nil {
		return "", 0, fmt.Errorf("curl -X %s %s: %w", method, url, err)
	}
	s := out.String()
	i := strings.LastIndexByte(s, '\n')
	code, err := strconv.Atoi(strings.TrimSpace(s[i+1:]))
	if err != nil {
		return "", 0, fmt.Errorf("curl -X %s %s: no status code in %q", method, url, s)
	}
	return s[:i], code, nil
}

// playbook runs a playbook command in the controller in dir and returns its
// output (stdout and stderr, as a terminal shows them), its parse and its
// wall time. A non-zero exit is an error carrying the output.
func (c *chapterCluster) playbook(t testing.TB, dir string, args ...string) (string, playOutput, time.Duration, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	err := c.Exec(ctx, c.Controller.Container, lab.ExecOptions{
		Stdout: &out, Stderr: &out, Dir: dir,
		// Plain output whatever the environment; ansible must not look for
		// a cowsay either.
		Env: []string{"LANG=C.UTF-8", "ANSIBLE_NOCOLOR=1", "ANSIBLE_NOCOWS=1", "ANSIBLE_FORCE_COLOR=0"},
	}, args...)
	took := time.Since(start)
	// A benchmark's log is always printed: it logs its timings itself.
	if _, bench := t.(*testing.B); !bench || err != nil {
		t.Logf("$ %s    # in %s, %s\n%s", strings.Join(args, " "), dir, took.Round(time.Millisecond), out.String())
	}
	if err != nil {
		return out.String(), playOutput{}, took, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	p, err := parseOutput(out.String())
	return out.String(), p, took, err
}

// hostIP is host i's address; the inventory names the hosts by address.
func (c *chapterCluster) hostIP(i int) string { return c.Hosts[i].IP }

// apiURL is an HTTP API address of host i's agent, reached from the
// controller.
func (c *chapterCluster) apiURL(i int, path string) string {
	return "http://" + c.hostIP(i) + ":8500" + path
}
