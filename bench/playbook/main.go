// Command playbook measures gossible against ansible-playbook side by side,
// on one cluster of lab containers: the chapter's consul.yml (first run on
// fresh hosts, then a second run), a generated 50-task playbook with fact
// gathering (Ansible as Debian ships it, and Ansible with pipelining), and
// the floor: ssh round trips over a reused ControlMaster connection.
//
// Run from the module root as root with Docker: go run ./bench/playbook.
// The cluster has its own prefix and subnet (not the lab's or the tests'),
// lives on an internal Docker network verified before every command, and
// every playbook and ssh call runs inside its controller container. The
// cluster and the work dir are removed on exit and on Ctrl-C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	repeat     int
	calls      int
	tasks      int
	hosts      int
	prefix     string
	subnet     string
	repo       string
	gossible   string
	consul     string
	scenarios  []string
	runTimeout time.Duration
	timeout    time.Duration
	keep       bool
}

// allScenarios are the groups -scenarios accepts, in the order they run.
var allScenarios = []string{"chapter", "tasks", "floor"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var scen string
	fs := flag.NewFlagSet("playbook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.repeat, "r", 3, "repetitions of every measurement (the table shows medians)")
	fs.IntVar(&o.calls, "n", 50, "ssh calls per floor measurement")
	fs.IntVar(&o.tasks, "tasks", 50, "tasks in the generated playbook")
	fs.IntVar(&o.hosts, "hosts", 3, "managed hosts")
	fs.StringVar(&o.prefix, "prefix", "gossible-bench-", "name prefix of the bench's containers and network")
	fs.StringVar(&o.subnet, "subnet", "10.100.191.0/24", "the bench network's IPv4 /24 (not the lab's 10.100.194.0/24, the Vagrant test's 10.100.193.0/24 nor the tests' 10.100.192 and 195-254)")
	fs.StringVar(&o.repo, "repo", ".", "module root holding consul.yml and roles/consul")
	fs.StringVar(&o.gossible, "gossible", "", "static gossible binary to use (default: build ./cmd/gossible)")
	fs.StringVar(&o.consul, "consul", "", "static consul agent for the role (default: roles/consul/files/consul, else build ./cmd/consul)")
	fs.StringVar(&scen, "scenarios", strings.Join(allScenarios, ","), "which measurements to run")
	fs.DurationVar(&o.runTimeout, "run-timeout", 5*time.Minute, "limit for one playbook run")
	fs.DurationVar(&o.timeout, "timeout", 45*time.Minute, "limit for the whole bench")
	fs.BoolVar(&o.keep, "keep", false, "keep the cluster and the work dir (for debugging; remove with gossible lab down --prefix ... --subnet ...)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q (hint: flags only, see -h)", fs.Args())
	}
	switch {
	case o.repeat < 1:
		return o, fmt.Errorf("-r %d: want at least 1", o.repeat)
	case o.calls < 1:
		return o, fmt.Errorf("-n %d: want at least 1", o.calls)
	case o.tasks < 1:
		return o, fmt.Errorf("-tasks %d: want at least 1", o.tasks)
	case o.hosts < 2 || o.hosts > 20:
		return o, fmt.Errorf("-hosts %d: want 2 to 20 (the chapter needs a server and a joiner)", o.hosts)
	case o.runTimeout <= 0 || o.timeout <= 0:
		return o, errors.New("-run-timeout and -timeout must be positive")
	}
	p, err := netip.ParsePrefix(o.subnet)
	if err != nil || !p.Addr().Is4() || p.Bits() != 24 || p.Masked() != p {
		return o, fmt.Errorf("-subnet %q: want an IPv4 /24 such as 10.100.193.0/24", o.subnet)
	}
	if o.subnet == "10.100.194.0/24" {
		return o, errors.New("-subnet 10.100.194.0/24 is the default lab's (gossible lab up); pick another")
	}
	for _, s := range strings.Split(scen, ",") {
		s = strings.TrimSpace(s)
		if !contains(allScenarios, s) {
			return o, fmt.Errorf("-scenarios: unknown %q (want some of %s)", s, strings.Join(allScenarios, ","))
		}
		o.scenarios = append(o.scenarios, s)
	}
	return o, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return errors.New("needs root (the lab adds each host's default route with nsenter)")
	}
	repo, err := filepath.Abs(o.repo)
	if err != nil {
		return fmt.Errorf("repo: %w", err)
	}
	if _, err := os.Stat(filepath.Join(repo, "consul.yml")); err != nil {
		return fmt.Errorf("no consul.yml in %s (hint: run from the module root or pass -repo)", repo)
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	loadBefore := loadAvg()
	start := time.Now()

	work, err := os.MkdirTemp("", "gossible-bench-")
	if err != nil {
		return fmt.Errorf("work dir: %w", err)
	}
	c, err := upCluster(ctx, o, work, stderr)
	if err != nil {
		os.RemoveAll(work) //nolint:errcheck // best effort
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(stderr, "bench: kept cluster %s and work dir %s\n", c.Network, work)
			return
		}
		// A fresh context: ctx may be what ended (Ctrl-C, -timeout).
		dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer dcancel()
		if err := c.Down(dctx); err != nil {
			fmt.Fprintf(stderr, "bench: remove cluster %s: %v\n", c.Network, err)
		}
		os.RemoveAll(work) //nolint:errcheck // best effort
	}()

	var ips []string
	for _, h := range c.Hosts {
		ips = append(ips, h.IP)
	}
	ws, err := newWorkspace(ctx, work, repo, o.gossible, o.consul, ips, o.tasks, stderr)
	if err != nil {
		return err
	}
	b := &bench{c: c, runTimeout: o.runTimeout}
	versions := b.versions(ctx)
	fmt.Fprintf(stderr, "bench: %s\n", strings.ReplaceAll(versions, "\n", "; "))

	rows, floorRef, err := measureAll(ctx, b, o, ws.chapterTasks, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d hosts, median of %d runs; machine: %d CPUs, load average %s before and %s after; took %s.\n",
		o.hosts, o.repeat, runtime.NumCPU(), loadBefore, loadAvg(), time.Since(start).Round(time.Second))
	fmt.Fprintf(stdout, "Tools: %s\n\n", strings.ReplaceAll(versions, "\n", "; "))
	writeTable(stdout, rows, floorRef)
	fmt.Fprintln(stdout)
	writeRuns(stdout, rows)
	for _, r := range rows {
		if failures(r.gossible)+failures(r.ansible)+failures(r.floor) > 0 {
			return errors.New("some runs failed (see the errors above)")
		}
	}
	return nil
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
