package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// sample is one timed run; failed runs keep their error and no time.
type sample struct {
	d   time.Duration
	err error
}

// row is one scenario: the runs of each tool, or the per-call floor runs.
type row struct {
	name     string
	tasks    int // tasks per host, fact gathering included; calls for a floor row
	hosts    int
	gossible []sample
	ansible  []sample
	floor    []sample // per-call durations of a floor row
}

// median of the successful samples; ok is false when none succeeded.
func median(s []sample) (time.Duration, bool) {
	var ds []time.Duration
	for _, x := range s {
		if x.err == nil {
			ds = append(ds, x.d)
		}
	}
	if len(ds) == 0 {
		return 0, false
	}
	slices.Sort(ds)
	if len(ds)%2 == 1 {
		return ds[len(ds)/2], true
	}
	return (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2, true
}

func failures(s []sample) int {
	n := 0
	for _, x := range s {
		if x.err != nil {
			n++
		}
	}
	return n
}

// secs formats a median in seconds, noting failed runs.
func secs(s []sample) string {
	m, ok := median(s)
	out := "fail"
	if ok {
		out = fmt.Sprintf("%.2f", m.Seconds())
	}
	if f := failures(s); f > 0 && ok {
		out += fmt.Sprintf(" (%d failed)", f)
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

// writeTable prints the medians as a Markdown table. floorRef is the
// per-call floor the overheads are compared with (0: not measured).
func writeTable(w io.Writer, rows []row, floorRef time.Duration) {
	fmt.Fprintln(w, "| scenario | task×host | gossible s | ansible s | ansible/gossible | gossible ms per task-host | ansible ms per task-host | gossible ÷ floor | ansible ÷ floor |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		if r.floor != nil {
			per := "fail"
			if m, ok := median(r.floor); ok {
				per = ms(m)
			}
			fmt.Fprintf(w, "| %s | %d calls | - | - | - | %s (per call) | | | |\n", r.name, r.tasks, per)
			continue
		}
		th := r.tasks * r.hosts
		g, gok := median(r.gossible)
		a, aok := median(r.ansible)
		ratio := "-"
		if gok && aok && g > 0 {
			ratio = fmt.Sprintf("%.2f", a.Seconds()/g.Seconds())
		}
		per := func(d time.Duration, ok bool) (string, string) {
			if !ok {
				return "-", "-"
			}
			p := d / time.Duration(th)
			x := "-"
			if floorRef > 0 {
				x = fmt.Sprintf("%.1f", float64(p)/float64(floorRef))
			}
			return ms(p), x
		}
		gp, gx := per(g, gok)
		ap, ax := per(a, aok)
		fmt.Fprintf(w, "| %s | %d×%d | %s | %s | %s | %s | %s | %s | %s |\n",
			r.name, r.tasks, r.hosts, secs(r.gossible), secs(r.ansible), ratio, gp, ap, gx, ax)
	}
}

// writeRuns prints every run, so the spread behind each median is visible.
func writeRuns(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| scenario | gossible runs s | ansible runs s |")
	fmt.Fprintln(w, "|---|---|---|")
	list := func(s []sample, unit func(time.Duration) string) string {
		var parts []string
		for _, x := range s {
			if x.err != nil {
				parts = append(parts, "fail")
				continue
			}
			parts = append(parts, unit(x.d))
		}
		return strings.Join(parts, " / ")
	}
	sec := func(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }
	for _, r := range rows {
		if r.floor != nil {
			fmt.Fprintf(w, "| %s | %s ms per call | |\n", r.name, list(r.floor, ms))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s |\n", r.name, list(r.gossible, sec), list(r.ansible, sec))
	}
}
