package executor

import (
	"errors"
	"fmt"
	"os"
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
	var args map[string]any
	if n.task.Args != nil {
		v, err := r.engine.Render(n.task.Args, sc)
		if err != nil {
			return failedResult(taskErrorMsg(n.task.Pos, err)), false
		}
		m, ok := template.RemoveOmit(v).(map[string]any)
		if !ok {
			return failedResult(fmt.Sprintf("the arguments of %s did not render to a mapping", n.task.Module)), false
		}
		args = m
	} else {
		args = map[string]any{}
	}
	var mu sync.Mutex
	var warnings []any
	env := &modules.Env{
		Check:     kw.check,
		Diff:      kw.diff,
		Host:      hs.name,
		Verbosity: r.opts.Verbosity,
		FindFile:  func(kind, name string) (string, error) { return findFile(pc, n, kind, name) },
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
		hc, err := r.conns.get(r.ctx, kw.target, kw.conn, kw.cfg)
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
	res, err := info.New().Run(r.ctx, env, args)
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
			out.setFacts = append(out.setFacts, facts)
		} else {
			if out.facts == nil {
				out.facts = map[string]any{}
			}
			for k, v := range facts {
				out.facts[k] = v
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

// findFile resolves a controller file as Ansible's action plugins do: the
// role's kind dir, the role dir, the role's tasks dir, then the playbook's.
func findFile(pc *playCtx, n *node, kind, name string) (string, error) {
	if filepath.IsAbs(name) {
		return name, nil
	}
	var cands []string
	if n.role != nil {
		rp := n.role.role.Path
		cands = append(cands,
			filepath.Join(rp, kind, name),
			filepath.Join(rp, name),
			filepath.Join(rp, "tasks", kind, name),
			filepath.Join(rp, "tasks", name))
	}
	cands = append(cands, filepath.Join(pc.pb.Dir, kind, name), filepath.Join(pc.pb.Dir, name))
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("Could not find or access '%s'\nSearched in:\n\t%s on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option",
		name, strings.Join(cands, "\n\t"))
}
