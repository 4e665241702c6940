package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// tool is one of the two programs under test, as run in the controller.
type tool struct {
	name string
	bin  string
	dir  string // its copy of the chapter (ansible's has the 2.14 loop fix)
}

var tools = []tool{
	{name: "gossible", bin: "gossible", dir: "gossible"},
	{name: "ansible", bin: "ansible-playbook", dir: "ansible"},
}

// Configurations in the controller; both tools read the same one per row.
const (
	cfgDefault = "ANSIBLE_CONFIG=" + "/work/repo/cfg/default.cfg"
	cfgFast    = "ANSIBLE_CONFIG=" + "/work/repo/cfg/fast.cfg"
)

// Row indexes of measureAll's table.
const (
	rowChapter1 = iota
	rowChapter2
	rowTasks
	rowTasksFast
	rowFloorTrue
	rowFloorSudo
	rowFloorNew
)

// measureAll runs every selected scenario o.repeat times, alternating which
// tool goes first, and returns the rows plus the floor the overheads are
// compared with (ssh "sudo -n true" over a reused connection: every task
// runs with become).
func measureAll(ctx context.Context, b *bench, o options, chapterTasks int, log io.Writer) ([]row, time.Duration, error) {
	h := len(b.c.Hosts)
	newCalls := max(o.calls/5, 3)
	rows := []row{
		rowChapter1:  {name: "chapter consul.yml, 1st run (fresh hosts)", tasks: chapterTasks, hosts: h},
		rowChapter2:  {name: "chapter consul.yml, 2nd run", tasks: chapterTasks, hosts: h},
		rowTasks:     {name: fmt.Sprintf("%d tasks + facts, Debian defaults", o.tasks), tasks: o.tasks + 1, hosts: h},
		rowTasksFast: {name: fmt.Sprintf("%d tasks + facts, pipelining + ControlPersist", o.tasks), tasks: o.tasks + 1, hosts: h},
		rowFloorTrue: {name: "floor: ssh `true`, reused ControlMaster", tasks: o.calls, floor: []sample{}},
		rowFloorSudo: {name: "floor: ssh `sudo -n true`, reused ControlMaster", tasks: o.calls, floor: []sample{}},
		rowFloorNew:  {name: "ssh `true`, new connection each call", tasks: newCalls, floor: []sample{}},
	}
	sel := map[string]bool{}
	for _, s := range o.scenarios {
		sel[s] = true
	}
	for rep := 1; rep <= o.repeat; rep++ {
		order := []tool{tools[0], tools[1]}
		if rep%2 == 0 {
			order = []tool{tools[1], tools[0]}
		}
		tag := fmt.Sprintf("[%d/%d]", rep, o.repeat)
		if sel["chapter"] {
			for _, t := range order {
				if err := b.reset(ctx); err != nil {
					return nil, 0, err
				}
				args := []string{t.bin, "-i", ctlInventory, t.dir + "/consul.yml"}
				for i, ri := range []int{rowChapter1, rowChapter2} {
					s := b.sample(ctx, cfgDefault, fmt.Sprintf("%s/r%d-%s-consul-%d.log", ctlLogs, rep, t.name, i+1), args,
						func(ctx context.Context) error { return b.checkConsul(ctx) })
					if ctx.Err() != nil {
						return nil, 0, stopped(ctx)
					}
					report(log, tag, rows[ri].name, t.name, s)
					rows[ri].add(t.name, s)
				}
			}
		}
		if sel["tasks"] {
			for _, v := range []struct {
				ri  int
				cfg string
			}{{rowTasks, cfgDefault}, {rowTasksFast, cfgFast}} {
				for _, t := range order {
					if err := b.reset(ctx); err != nil {
						return nil, 0, err
					}
					args := []string{t.bin, "-i", ctlInventory, "many.yml"}
					s := b.sample(ctx, v.cfg, fmt.Sprintf("%s/r%d-%s-tasks-%d.log", ctlLogs, rep, t.name, v.ri), args,
						func(ctx context.Context) error { return b.checkMany(ctx, o.tasks) })
					if ctx.Err() != nil {
						return nil, 0, stopped(ctx)
					}
					report(log, tag, rows[v.ri].name, t.name, s)
					rows[v.ri].add(t.name, s)
				}
			}
		}
		if sel["floor"] {
			for _, f := range []struct {
				ri   int
				mode string
				n    int
			}{{rowFloorTrue, "true", o.calls}, {rowFloorSudo, "sudo", o.calls}, {rowFloorNew, "new", newCalls}} {
				d, err := b.floor(ctx, f.mode, f.n)
				if ctx.Err() != nil {
					return nil, 0, stopped(ctx)
				}
				s := sample{d: d, err: err}
				if err != nil {
					fmt.Fprintf(log, "bench: %s %s: %v\n", tag, rows[f.ri].name, err)
				} else {
					fmt.Fprintf(log, "bench: %s %s: %s ms per call\n", tag, rows[f.ri].name, ms(d))
				}
				rows[f.ri].floor = append(rows[f.ri].floor, s)
			}
		}
	}
	var out []row
	for i, r := range rows {
		if (i <= rowChapter2 && sel["chapter"]) || (i > rowChapter2 && i <= rowTasksFast && sel["tasks"]) || (i >= rowFloorTrue && sel["floor"]) {
			out = append(out, r)
		}
	}
	floorRef, _ := median(rows[rowFloorSudo].floor)
	return out, floorRef, nil
}

// sample times one run (closing Ansible's persistent connections first, so
// no run inherits another's) and checks its effect on the hosts.
func (b *bench) sample(ctx context.Context, cfg, logPath string, args []string, check func(context.Context) error) sample {
	if err := b.closeMasters(ctx); err != nil {
		return sample{err: err}
	}
	d, err := b.timed(ctx, []string{cfg}, logPath, args...)
	if err == nil {
		err = check(ctx)
	}
	return sample{d: d, err: err}
}

func (r *row) add(toolName string, s sample) {
	if toolName == "gossible" {
		r.gossible = append(r.gossible, s)
		return
	}
	r.ansible = append(r.ansible, s)
}

func report(log io.Writer, tag, row, toolName string, s sample) {
	if s.err != nil {
		fmt.Fprintf(log, "bench: %s %s, %s: FAILED: %v\n", tag, row, toolName, s.err)
		return
	}
	fmt.Fprintf(log, "bench: %s %s, %s: %.2fs\n", tag, row, toolName, s.d.Seconds())
}

// stopped says why the bench ended early: Ctrl-C or -timeout.
func stopped(ctx context.Context) error {
	return fmt.Errorf("bench stopped before the end (interrupted or -timeout): %w", context.Cause(ctx))
}
