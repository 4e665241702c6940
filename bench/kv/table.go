package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// printTable prints one markdown row per operation and size, the agent
// and etcd side by side, with the agent/etcd ratios.
func printTable(w io.Writer, o *options, rows []row) {
	fmt.Fprintf(w, "\n%d clients, %v per phase, %d keys, median of %d runs, %d CPUs, load average before/after: %s / %s\n\n",
		o.clients, o.duration, o.keys, o.repeat, runtime.NumCPU(), o.loadBefore, loadAvg())
	fmt.Fprintln(w, "| op | value | agent ops/s | etcd ops/s | ratio | agent p50 | etcd p50 | agent p99 | etcd p99 | p99 ratio |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	find := func(sys, op string, size int) *row {
		for i := range rows {
			if r := &rows[i]; r.system == sys && r.op == op && r.size == size {
				return r
			}
		}
		return nil
	}
	for _, size := range o.sizes {
		for _, op := range []string{"put", "get"} {
			a, e := find("consul", op, size), find("etcd", op, size)
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", op, sizeName(size),
				rate(a), rate(e), ratio(a, e, func(r *row) float64 { return r.rate() }),
				lat(a, false), lat(e, false), lat(a, true), lat(e, true),
				ratio(a, e, func(r *row) float64 { return float64(r.p99) }))
		}
	}
	for _, r := range rows {
		if r.errs > 0 {
			fmt.Fprintf(w, "\n%s %s %s: %d errors in %d runs (not counted)\n", r.system, r.op, sizeName(r.size), r.errs, r.runs)
		}
	}
}

// loadAvg is the 1-minute load average: other work on the machine skews
// the figures, so the table states it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func sizeName(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

func rate(r *row) string {
	if r == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f", r.rate())
}

func lat(r *row, p99 bool) string {
	if r == nil {
		return "-"
	}
	d := r.p50
	if p99 {
		d = r.p99
	}
	return d.Round(10 * time.Microsecond).String()
}

func ratio(a, e *row, f func(*row) float64) string {
	if a == nil || e == nil || f(e) == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", f(a)/f(e))
}
