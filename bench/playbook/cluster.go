package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gossible/gossible/lab"
)

// Labels marking the bench's cluster with its owner process, so a cluster
// left by a killed bench is recognised and removed by the next one.
const (
	labelPID  = "gossible.bench.pid"
	labelBoot = "gossible.bench.boot"
)

// upCluster starts the bench's own cluster (hosts and a controller that
// mounts work read-only and runs work/bin/gossible) after removing a stale
// one of a dead bench, and verifies its network is internal.
func upCluster(ctx context.Context, o options, work string, log io.Writer) (*lab.Cluster, error) {
	if err := os.MkdirAll(filepath.Join(work, "bin"), 0o755); err != nil {
		return nil, fmt.Errorf("work dir: %w", err)
	}
	network := o.prefix + "serv-disc"
	if err := removeStale(ctx, network, log); err != nil {
		return nil, err
	}
	lo := lab.Options{
		Prefix: o.prefix, Subnet: o.subnet, Hosts: o.hosts, Exclusive: true,
		RepoDir: work, Binary: filepath.Join(work, "bin", "gossible"),
		Labels: map[string]string{labelPID: strconv.Itoa(os.Getpid()), labelBoot: bootID()},
		Log:    log,
	}
	c, err := lab.Up(ctx, lo)
	if err != nil {
		return nil, fmt.Errorf("start bench cluster: %w", err)
	}
	if err := c.Verify(ctx); err != nil {
		c.Down(context.WithoutCancel(ctx)) //nolint:errcheck // already failing
		return nil, err
	}
	fmt.Fprintf(log, "bench: network %s (%s) verified internal; controller %s, hosts", c.Network, c.Subnet, c.Controller.IP)
	for _, h := range c.Hosts {
		fmt.Fprintf(log, " %s=%s", h.Name, h.IP)
	}
	fmt.Fprintln(log)
	return c, nil
}

// removeStale removes the bench's network when the bench that made it is
// gone; a live owner is an error, never touched.
func removeStale(ctx context.Context, network string, log io.Writer) error {
	nets, err := lab.Networks(ctx)
	if err != nil {
		return fmt.Errorf("list lab networks: %w", err)
	}
	labels, ok := nets[network]
	if !ok {
		return nil
	}
	pid, err := strconv.Atoi(labels[labelPID])
	if err != nil {
		return fmt.Errorf("network %s exists and is not a bench's (no %s label); pick another -prefix", network, labelPID)
	}
	if labels[labelBoot] == bootID() && !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return fmt.Errorf("network %s belongs to a running bench (pid %d); wait for it or pick another -prefix and -subnet", network, pid)
	}
	fmt.Fprintf(log, "bench: removing %s left by bench pid %d\n", network, pid)
	if err := lab.DownNetwork(ctx, network); err != nil {
		return fmt.Errorf("remove stale %s: %w", network, err)
	}
	return nil
}

func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
