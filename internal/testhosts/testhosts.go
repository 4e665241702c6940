// Package testhosts gives Go tests real SSH hosts: containers from the lab
// image on their own internal Docker network, torn down by t.Cleanup.
//
// Contract: Cluster either returns running hosts whose sshd accepts the
// cluster's key as "vagrant" (passwordless sudo) with known host keys, or
// skips the test with the reason (no docker, image absent and not buildable)
// — except when CI=true, where the same reason fails the test, so CI can
// never pass by skipping. Each cluster has a unique name prefix and /24 in
// 10.100.195.0-10.100.254.0 (10.100.194.0/24 is left to `gossible lab`).
// Clusters left by killed test processes are removed on the next use.
package testhosts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gossible/gossible/lab"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Labels marking a cluster as a test's, with its owner process.
const (
	labelPID  = "gossible.test.pid"
	labelBoot = "gossible.test.boot"
)

// Subnet third octets tests may use.
const (
	firstOctet = 195
	lastOctet  = 254
)

// Options tune Cluster; the zero value gives hosts plus a controller.
type Options struct {
	NoController bool
	HostPrefix   string // default "serv-disc-"
	RepoDir      string // mounted read-only at lab.RepoMount in the controller
	Binary       string // gossible binary for the controller (see lab.Options)
}

// Env is a running test cluster.
type Env struct {
	*lab.Cluster
	t testing.TB
}

// Available says why test hosts cannot run here, or nil.
func Available(ctx context.Context) error {
	if err := lab.DockerAvailable(ctx); err != nil {
		return err
	}
	image := lab.DefaultRecipe().Image()
	if ok, err := lab.ImageExists(ctx, image); err != nil || ok {
		return err
	}
	if err := lab.CanBuildImage(); err != nil {
		return fmt.Errorf("image %s absent and %w (hint: make image)", image, err)
	}
	return nil
}

// skipOrFail skips, or fails under CI=true so a CI run cannot go green by
// skipping the host tests.
func skipOrFail(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("test hosts unavailable under CI=true: %s", reason)
		return
	}
	t.Skipf("needs test hosts: %s", reason)
}

var (
	seq       atomic.Int64
	reapOnce  sync.Once
	bootID, _ = os.ReadFile("/proc/sys/kernel/random/boot_id")
)

// Cluster starts n hosts (and a controller unless opts.NoController) and
// registers their removal with t.Cleanup.
func Cluster(t testing.TB, n int, opts Options) *Env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := Available(ctx); err != nil {
		skipOrFail(t, err.Error())
	}
	reapOnce.Do(func() { reapStale(ctx, t) })
	// Start at a spot that differs between processes; walk on collisions.
	start := (os.Getpid()*7 + int(seq.Add(1))) % (lastOctet - firstOctet + 1)
	for try := 0; try <= lastOctet-firstOctet; try++ {
		octet := firstOctet + (start+try)%(lastOctet-firstOctet+1)
		o := lab.Options{
			Prefix:       fmt.Sprintf("gossible-t%d-", octet),
			Subnet:       fmt.Sprintf("10.100.%d.0/24", octet),
			Hosts:        n,
			HostPrefix:   opts.HostPrefix,
			NoController: opts.NoController,
			RepoDir:      opts.RepoDir,
			Binary:       opts.Binary,
			StateDir:     t.TempDir(),
			Exclusive:    true,
			Labels: map[string]string{
				labelPID:  strconv.Itoa(os.Getpid()),
				labelBoot: strings.TrimSpace(string(bootID)),
			},
		}
		started := time.Now()
		c, err := lab.Up(ctx, o)
		if errors.Is(err, lab.ErrExists) {
			continue
		}
		if err != nil {
			t.Fatalf("start test hosts: %v", err)
		}
		t.Logf("testhosts: %s with %d hosts up in %s", c.Network, len(c.Hosts), time.Since(started).Round(time.Millisecond))
		t.Cleanup(func() {
			dctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if err := c.Down(dctx); err != nil {
				t.Errorf("remove test hosts %s: %v", c.Network, err)
			}
		})
		return &Env{Cluster: c, t: t}
	}
	t.Fatalf("start test hosts: every subnet 10.100.%d-%d.0/24 is in use", firstOctet, lastOctet)
	return nil
}

// reapStale removes test clusters whose owner process is gone (a test
// binary killed by its timeout runs no cleanups).
func reapStale(ctx context.Context, t testing.TB) {
	nets, err := lab.Networks(ctx)
	if err != nil {
		t.Logf("testhosts: list lab networks: %v", err)
		return
	}
	for name, labels := range nets {
		pid, err := strconv.Atoi(labels[labelPID])
		if err != nil {
			continue // not a test cluster
		}
		alive := labels[labelBoot] == strings.TrimSpace(string(bootID)) && !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
		if alive {
			continue
		}
		if err := lab.DownNetwork(ctx, name); err != nil {
			t.Logf("testhosts: remove stale %s: %v", name, err)
		} else {
			t.Logf("testhosts: removed stale cluster %s of pid %d", name, pid)
		}
	}
}

// IPs are the managed hosts' addresses in name order.
func (e *Env) IPs() []string {
	ips := make([]string, len(e.Hosts))
	for i, h := range e.Hosts {
		ips[i] = h.IP
	}
	return ips
}

// Addr is host i's SSH address (ip:22) for dialing from the test process;
// the test's own network namespace reaches the internal bridge.
func (e *Env) Addr(i int) string { return e.Hosts[i].IP + ":22" }

// ControllerExec runs args in the controller and returns stdout; a non-zero
// exit is a *lab.ExitError carrying stderr.
func (e *Env) ControllerExec(ctx context.Context, args ...string) (string, error) {
	if e.Controller == nil {
		return "", errors.New("test cluster has no controller")
	}
	return e.Output(ctx, e.Controller.Container, args...)
}

// HostExec runs args as root directly in host i's container (no SSH).
func (e *Env) HostExec(ctx context.Context, i int, args ...string) (string, error) {
	return e.Output(ctx, e.Hosts[i].Container, args...)
}

// SSH runs command on host i over SSH from the controller, as vagrant, with
// strict host key checking.
func (e *Env) SSH(ctx context.Context, i int, command string) (string, error) {
	return e.ControllerExec(ctx, e.SSHArgs(e.Hosts[i], command)...)
}

// ClientConfig is an x/crypto/ssh config for dialing the hosts from the test
// process as user: the cluster's key and known_hosts (strict checking).
// It first re-checks that the cluster's network is still internal.
func (e *Env) ClientConfig(user string) *ssh.ClientConfig {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.Verify(ctx); err != nil {
		e.t.Fatalf("test hosts: %v", err)
	}
	key, err := os.ReadFile(e.KeyFile)
	if err != nil {
		e.t.Fatalf("read lab key: %v", err)
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		e.t.Fatalf("parse lab key: %v", err)
	}
	cb, err := knownhosts.New(e.KnownHostsFile)
	if err != nil {
		e.t.Fatalf("read lab known_hosts: %v", err)
	}
	return &ssh.ClientConfig{User: user, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: cb, Timeout: 10 * time.Second}
}
