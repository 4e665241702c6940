// Command kv measures the key/value throughput and latency of the agent
// (3 `consul agent` server processes built from ./cmd/consul) side by side
// with etcd (3 members), both on loopback, both fsyncing their logs, both
// driven through their HTTP/JSON APIs by the same load generator.
//
// Run from the module root: go run ./bench/kv [-clients 16 -duration 10s].
// Every address is under 127.0.0.0/8; every process it starts is stopped
// when it ends, also on Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	clients   int
	duration  time.Duration
	maxOps    int
	keys      int
	sizes     []int
	systems   []string
	consulBin string
	etcdBin   string
	consulNet string
	etcdNet   string
	keepLogs  bool
	repeat    int
	// loadBefore is the load average when the run started.
	loadBefore string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	o.loadBefore = loadAvg()
	work, err := os.MkdirTemp("", "kvbench-")
	if err != nil {
		return fmt.Errorf("create work dir: %w", err)
	}
	if o.keepLogs {
		fmt.Fprintf(os.Stderr, "work dir (data and logs): %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	var rows []row
	for rep := range o.repeat {
		// Alternate the order so drifting machine load hits both alike.
		order := slices.Clone(o.systems)
		if rep%2 == 1 {
			slices.Reverse(order)
		}
		for _, sys := range order {
			r, err := benchSystem(ctx, o, sys, filepath.Join(work, strconv.Itoa(rep)))
			if err != nil {
				return fmt.Errorf("%s: %w", sys, err)
			}
			rows = append(rows, r...)
		}
	}
	printTable(os.Stdout, o, medians(rows))
	return nil
}

func parseFlags(args []string) (*options, error) {
	fs := flag.NewFlagSet("kv", flag.ContinueOnError)
	o := &options{}
	var sizes, systems string
	fs.IntVar(&o.clients, "clients", 16, "concurrent clients, spread over the 3 servers")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each phase (puts, then gets) runs")
	fs.IntVar(&o.maxOps, "ops", 0, "stop a phase after this many operations (0: only -duration)")
	fs.IntVar(&o.keys, "keys", 1000, "distinct keys written and read")
	fs.StringVar(&sizes, "sizes", "256,4096", "value sizes in bytes, comma separated")
	fs.StringVar(&systems, "systems", "consul,etcd", "systems to measure, comma separated")
	fs.StringVar(&o.consulBin, "consul-bin", "", "consul binary (default: go build ./cmd/consul)")
	fs.StringVar(&o.etcdBin, "etcd-bin", "/usr/bin/etcd", "etcd 3.4 binary (Debian: apt-get install etcd-server)")
	fs.StringVar(&o.consulNet, "consul-net", "127.77.0.", "loopback prefix for the agent servers (.1-.3)")
	fs.StringVar(&o.etcdNet, "etcd-net", "127.77.1.", "loopback prefix for the etcd members (.1-.3)")
	fs.IntVar(&o.repeat, "repeat", 1, "run everything this many times, alternating the order; the table shows medians")
	fs.BoolVar(&o.keepLogs, "keep", false, "keep the data dirs and logs after the run")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.clients < 1 || o.keys < 1 || o.duration <= 0 || o.repeat < 1 {
		return nil, fmt.Errorf("-clients, -keys, -duration and -repeat must be positive")
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive byte count", s)
		}
		o.sizes = append(o.sizes, n)
	}
	for _, s := range strings.Split(systems, ",") {
		s = strings.TrimSpace(s)
		if s != "consul" && s != "etcd" {
			return nil, fmt.Errorf("-systems: unknown system %q (want consul or etcd)", s)
		}
		o.systems = append(o.systems, s)
	}
	for _, p := range []string{o.consulNet, o.etcdNet} {
		if !strings.HasPrefix(p, "127.") || !strings.HasSuffix(p, ".") || strings.Count(p, ".") != 3 {
			return nil, fmt.Errorf("network prefix %q must look like 127.x.y. (loopback only)", p)
		}
	}
	return o, nil
}
