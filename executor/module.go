package executor

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
)

// execModule templates the task's arguments and runs its module on the
// host's connection. It returns the result (never nil) and whether the
// module ran (false: the executor failed the task before it).
func (r *runner) execModule(pc *playCtx, n *node, hs *hostState, sc *template.Scope, kw *taskKeywords, out *hostOutcome) (map[string]any, bool) {
	if playbook.ShortAction(n.task.Module) == "include_vars" && !n.gather {
		return r.includeVars(pc, n, sc, out)
	}
	info, err := moduleInfo(n)
	if err != nil {
		return failedResult(err.Error()), false
	}
	args := map[string]any{}
	var marked map[string]any // the arguments with their unsafe marks, for set_fact
	if n.task.Args != nil {
		v, err := r.engine.RenderMarked(n.task.Args, sc)
		if err == nil {
			marked, _ = v.(map[string]any)
			v, err = template.Plain(v)
		}
		if err != nil {
			return taskFailure(n.task.Pos, n.task.Args, err), false
		}
		m, ok := v.(map[string]any)
		if !ok {
			return failedResult(fmt.Sprintf("the arguments of %s did not render to a mapping", n.task.Module)), false
		}
		args = m
	}
	// Omitted arguments are removed after the defaults are merged, so an
	// argument set to omit drops its default too, as in Ansible.
	args, err = r.withModuleDefaults(pc, n, info.Name, args, sc)
	if err != nil {
		return failedResult(taskErrorMsg(n.task.Pos, err)), false
	}
	args, _ = template.RemoveOmit(args).(map[string]any)
	var mu sync.Mutex
	var warnings []any
	env := &modules.Env{
		Check:     kw.check,
		Diff:      kw.diff,
		Host:      hs.name,
		Verbosity: r.opts.Verbosity,
		FindFile:  func(kind, name string) (string, error) { return r.findFile(pc, n, kind, name) },
		Eval:      func(expr string) (any, error) { return r.engine.Eval(expr, sc) },
		Cond:      func(expr string) (bool, error) { return r.engine.Cond(expr, sc) },
		Render: func(text string, o modules.RenderOptions) (string, error) {
			return r.engine.RenderFile(text, sc, template.FileOptions{TrimBlocks: o.TrimBlocks, LstripBlocks: o.LstripBlocks, Vars: o.Vars})
		},
		Warn: func(msg string) {
			mu.Lock()
			warnings = append(warnings, msg)
			mu.Unlock()
		},
	}
	if !info.Local {
		switch kw.conn {
		case "local", "ssh", "smart", "paramiko":
		default:
			return failedResult(fmt.Sprintf("the connection plugin '%s' was not found", kw.conn)), false
		}
		var hc *hostConn
		hc, err = r.conns.get(r.ctx, kw.target, kw.conn, kw.cfg)
		if err != nil {
			if isUnreachable(err) {
				return unreachableResult(err), false
			}
			return failedResult(err.Error()), false
		}
		env.Conn = envConn{Conn: hc.conn, env: kw.env}
		env.RemoteTmp = hc.tmp
		env.Become = kw.become
	}
	var res modules.Result
	res, err = info.New().Run(r.ctx, env, args)
	if err != nil {
		if isUnreachable(err) {
			return unreachableResult(err), true
		}
		if errors.Is(err, r.ctx.Err()) && r.ctx.Err() != nil {
			return failedResult("interrupted"), true
		}
		return failedResult(err.Error()), true
	}
	out2 := map[string]any(res)
	if out2 == nil {
		out2 = map[string]any{}
	}
	if len(warnings) > 0 {
		prev, _ := out2["warnings"].([]any)
		out2["warnings"] = append(prev, warnings...)
	}
	if facts, ok := out2["ansible_facts"].(map[string]any); ok {
		if info.Name == "ansible.builtin.set_fact" {
			set := withMarks(facts, marked)
			out.setFacts = append(out.setFacts, set)
			if c, _ := out2["_ansible_facts_cacheable"].(bool); c {
				// cacheable: also a host fact, seen under ansible_facts
				if out.facts == nil {
					out.facts = map[string]any{}
				}
				// Ansible's fact cache hands its values back marked
				// unsafe; the set_fact variable itself keeps its marks.
				for k, v := range facts {
					out.facts[k] = template.MarkUnsafe(v)
				}
			}
		} else {
			if out.facts == nil {
				out.facts = map[string]any{}
			}
			for k, v := range facts {
				out.facts[k] = template.MarkUnsafe(v) // what a module returns is never templated
			}
		}
	}
	if n.gather {
		// The gather_facts action always reports these, empty or not.
		out2["_ansible_verbose_override"] = true
		for _, k := range []string{"warnings", "deprecations"} {
			if _, ok := out2[k]; !ok {
				out2[k] = []any{}
			}
		}
	}
	if skipped, _ := out2["skipped"].(bool); info.Name == "ansible.builtin.debug" && !skipped {
		out2["_ansible_verbose_always"] = true
	}
	return out2, true
}

// withMarks is set_fact's facts with the unsafe marks their arguments had
// after templating, so that text read from unsafe data is never templated
// again, however deep it sits; safe values stay plain. A "yes"/"no" the
// module turned into a bool stays a bool.
func withMarks(facts, marked map[string]any) map[string]any {
	set := make(map[string]any, len(facts))
	for k, v := range facts {
		if m, ok := marked[k]; ok {
			if _, isBool := v.(bool); !isBool {
				v = m
			}
		}
		set[k] = v
	}
	return set
}

// findFile resolves a controller file as Ansible's action plugins do
// (_find_needle): kind/name then name along the task's search path.
func (r *runner) findFile(pc *playCtx, n *node, kind, name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	found, cands := r.findInSearchPath(pc, n, kind, name)
	if found != "" {
		return found, nil
	}
	return "", fmt.Errorf("Could not find or access '%s'\nSearched in:\n\t%s on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option",
		name, strings.Join(cands, "\n\t"))
}
