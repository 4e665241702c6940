package playbook

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testModules stands in for the module registry.
var testModules = []string{
	"ansible.builtin.command", "ansible.builtin.shell", "ansible.builtin.raw", "ansible.builtin.script",
	"ansible.builtin.copy", "ansible.builtin.file", "ansible.builtin.template", "ansible.builtin.debug",
	"ansible.builtin.set_fact", "ansible.builtin.meta", "ansible.builtin.ping", "ansible.builtin.service",
	"ansible.builtin.apt", "ansible.builtin.fail", "ansible.builtin.assert", "ansible.builtin.lineinfile",
	"ansible.builtin.include_tasks", "ansible.builtin.include_vars",
}

func testOptions() Options {
	known := map[string]bool{}
	for _, m := range testModules {
		known[m] = true
		known["ansible.legacy."+m[len("ansible.builtin."):]] = true
		known[m[len("ansible.builtin."):]] = true
	}
	return Options{
		KnownModule: func(n string) bool { return known[n] },
		ModuleNames: func() []string { return testModules },
	}
}

// golden compares got with testdata file name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// scrub makes absolute paths in text machine-independent.
func scrub(t *testing.T, s string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	s = strings.ReplaceAll(s, wd, "$PKG")
	return strings.ReplaceAll(s, filepath.Dir(wd), "$PKG/..")
}

// dump renders a playbook as stable JSON: roles by name once, tasks
// without their back-pointer to the role.
func dump(t *testing.T, pb *Playbook) string {
	t.Helper()
	roles := map[string]any{}
	var role func(r *Role)
	var refs func(rs []*RoleRef) []any
	refs = func(rs []*RoleRef) []any {
		var out []any
		for _, r := range rs {
			out = append(out, map[string]any{"pos": r.Pos.String(), "name": r.Name, "vars": r.Vars, "tags": r.Tags, "when": r.When, "role": r.Role.Path})
			role(r.Role)
		}
		return out
	}
	role = func(r *Role) {
		if _, ok := roles[r.Path]; ok {
			return
		}
		roles[r.Path] = nil
		roles[r.Path] = map[string]any{"name": r.Name, "defaults": r.Defaults, "vars": r.Vars,
			"tasks": tasks(r.Tasks), "handlers": tasks(r.Handlers), "deps": refs(r.Deps), "allow_duplicates": r.AllowDuplicates}
	}
	var plays []any
	for _, p := range pb.Plays {
		plays = append(plays, map[string]any{
			"pos": p.Pos.String(), "name": p.Name, "hosts": p.Hosts, "remote_user": p.RemoteUser,
			"become": p.Become, "become_user": p.BecomeUser, "become_method": p.BecomeMethod,
			"vars": p.Vars, "vars_files": varsFilesDump(p.VarsFiles), "gather_facts": p.GatherFacts, "serial": p.Serial,
			"tags": p.Tags, "environment": p.Environment, "ignore_errors": p.IgnoreErrors,
			"roles": refs(p.Roles), "pre_tasks": tasks(p.PreTasks), "tasks": tasks(p.Tasks),
			"post_tasks": tasks(p.PostTasks), "handlers": tasks(p.Handlers), "connection": p.Connection,
			"max_fail_percentage": p.MaxFailPercentage, "any_errors_fatal": p.AnyErrorsFatal,
			"no_log": p.NoLog, "check_mode": p.CheckMode,
		})
	}
	out := map[string]any{"dir": pb.Dir, "plays": plays, "roles": roles, "warnings": pb.Warnings}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return scrub(t, string(b)) + "\n"
}

// varsFilesDump shows vars_files as written: names, and lists of
// alternatives as lists.
func varsFilesDump(vfs []VarsFile) any {
	if vfs == nil {
		return nil
	}
	out := make([]any, 0, len(vfs))
	for _, vf := range vfs {
		if vf.List {
			out = append(out, vf.Names)
		} else {
			out = append(out, vf.Names[0])
		}
	}
	return out
}

func tasks(ts []*Task) []any {
	var out []any
	for _, t := range ts {
		m := map[string]any{"pos": t.Pos.String()}
		add := func(k string, v any, zero bool) {
			if !zero {
				m[k] = v
			}
		}
		add("name", t.Name, t.Name == "")
		add("module", t.Module, t.Module == "")
		add("args", t.Args, t.Args == nil)
		add("loop", t.Loop, t.Loop == nil)
		add("loop_kind", t.LoopKind, t.LoopKind == "")
		add("loop_bare_var", t.LoopBareVar, t.LoopBareVar == "")
		add("loop_control", t.LoopControl, t.LoopControl == nil)
		add("when", t.When, t.When == nil)
		add("tags", t.Tags, t.Tags == nil)
		add("register", t.Register, t.Register == "")
		add("ignore_errors", t.IgnoreErrors, t.IgnoreErrors == nil)
		add("changed_when", t.ChangedWhen, t.ChangedWhen == nil)
		add("failed_when", t.FailedWhen, t.FailedWhen == nil)
		add("notify", t.Notify, t.Notify == nil)
		add("listen", t.Listen, t.Listen == nil)
		add("become", t.Become, t.Become == nil)
		add("become_user", t.BecomeUser, t.BecomeUser == "")
		add("become_method", t.BecomeMethod, t.BecomeMethod == "")
		add("environment", t.Environment, t.Environment == nil)
		add("no_log", t.NoLog, t.NoLog == nil)
		add("vars", t.Vars, t.Vars == nil)
		add("check_mode", t.CheckMode, t.CheckMode == nil)
		add("diff", t.Diff, t.Diff == nil)
		add("delegate_to", t.DelegateTo, t.DelegateTo == "")
		add("run_once", t.RunOnce, t.RunOnce == nil)
		add("until", t.Until, t.Until == nil)
		add("retries", t.Retries, t.Retries == nil)
		add("delay", t.Delay, t.Delay == nil)
		add("block", tasks(t.Block), t.Block == nil)
		add("rescue", tasks(t.Rescue), t.Rescue == nil)
		add("always", tasks(t.Always), t.Always == nil)
		add("handler", t.Handler, !t.Handler)
		if t.Role != nil {
			m["role"] = t.Role.Name
		}
		out = append(out, m)
	}
	return out
}
