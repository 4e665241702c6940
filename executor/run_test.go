package executor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	defaultcb "github.com/gossible/gossible/output/default"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/transport"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Test-only modules, so the executor is tested without the real ones.
func init() {
	modules.Register(modules.Info{Name: "gossible_test.t.echo", Local: true, New: func() modules.Module { return echoModule{} }})
	modules.Register(modules.Info{Name: "gossible_test.t.sh", New: func() modules.Module { return shModule{} }})
}

// echoModule returns its args: msg, changed, failed, facts (as ansible_facts).
type echoModule struct{}

func (echoModule) Run(_ context.Context, env *modules.Env, args map[string]any) (modules.Result, error) {
	res := modules.Result{"changed": truthy(args["changed"]), "msg": args["msg"]}
	if truthy(args["failed"]) {
		res["failed"] = true
	}
	if f, ok := args["facts"]; ok {
		res["ansible_facts"] = f
	}
	if w, ok := args["warn"].(string); ok {
		env.Warn(w)
	}
	if env.Check {
		res["check"] = true
	}
	return res, nil
}

func truthy(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return t == "true" || t == "True" || t == "yes"
	}
	return false
}

// shModule runs cmd on the host through the connection; it also checks the
// per-run scratch directory exists.
type shModule struct{}

func (shModule) Run(ctx context.Context, env *modules.Env, args map[string]any) (modules.Result, error) {
	if env.RemoteTmp == "" {
		return modules.Result{"failed": true, "msg": "no remote tmp"}, nil
	}
	r, err := env.Conn.Exec(ctx, transport.Cmd{Line: fmt.Sprint(args["cmd"]) + " && test -d " + env.RemoteTmp})
	if err != nil {
		return nil, err
	}
	res := modules.Result{"changed": true, "rc": r.RC, "stdout": strings.TrimSpace(string(r.Stdout))}
	if r.RC != 0 {
		res["stderr"] = strings.TrimSpace(string(r.Stderr))
	}
	return res, nil
}

// runCase is a case's options (case.json, all optional).
type runCase struct {
	Inventory []string       `json:"inventory"`
	Tags      []string       `json:"tags"`
	SkipTags  []string       `json:"skip_tags"`
	Limit     string         `json:"limit"`
	Extra     map[string]any `json:"extra_vars"`
	Check     bool           `json:"check"`
	Verbosity *int           `json:"verbosity"` // default 1: results shown
	StartAt   string         `json:"start_at_task"`
	WantErr   string         `json:"want_err"`
	Forks     int            `json:"forks"`
	Force     bool           `json:"force_handlers"`
}

// TestRuns runs every testdata/runs/<case>/play.yml with the local
// transport and compares the default callback's output (stdout then
// "--- stderr ---") with <case>/expected.txt.
func TestRuns(t *testing.T) {
	dirs, err := filepath.Glob("testdata/runs/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, dir := range dirs {
		dir := dir
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := runDir(t, dir)
			golden := filepath.Join(dir, "expected.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s\n--- got ---\n%s\n--- want ---\n%s", golden, got, want)
			}
		})
	}
}

func runDir(t *testing.T, dir string) string {
	t.Helper()
	abs, _ := filepath.Abs(dir)
	var c runCase
	if data, err := os.ReadFile(filepath.Join(dir, "case.json")); err == nil {
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
	}
	srcs := c.Inventory
	if len(srcs) == 0 {
		srcs = []string{"localhost,"}
	}
	for i, s := range srcs {
		if !strings.Contains(s, ",") {
			srcs[i] = filepath.Join(abs, s)
		}
	}
	inv, err := inventory.Load(srcs)
	if err != nil {
		t.Fatal(err)
	}
	known := func(n string) bool { _, ok := modules.Lookup(n); return ok || n == "meta" }
	pb, err := playbook.Load(filepath.Join(abs, "play.yml"), playbook.Options{KnownModule: known})
	if err != nil {
		t.Fatal(err)
	}
	verbosity := 1
	if c.Verbosity != nil {
		verbosity = *c.Verbosity
	}
	var out, errb bytes.Buffer
	d := display.New(&out, &errb, false)
	work := t.TempDir()
	extra := map[string]any{"work": work}
	for k, v := range c.Extra {
		extra[k] = v
	}
	res, err := executor.Run(context.Background(), []*playbook.Playbook{pb}, executor.Options{
		Inventory:     inv,
		Connection:    "local",
		Callback:      defaultcb.New(d, verbosity),
		Tags:          c.Tags,
		SkipTags:      c.SkipTags,
		Limit:         c.Limit,
		ExtraVars:     extra,
		Check:         c.Check,
		Verbosity:     verbosity,
		StartAtTask:   c.StartAt,
		Forks:         c.Forks,
		ForceHandlers: c.Force,
	})
	summary := ""
	if err != nil {
		summary = "error: " + err.Error() + "\n"
	} else {
		summary = fmt.Sprintf("failed=%v unreachable=%v\n", res.Failed, res.Unreachable)
	}
	text := out.String() + "--- stderr ---\n" + errb.String() + "--- outcome ---\n" + summary
	text = strings.ReplaceAll(text, abs, "<dir>")
	text = strings.ReplaceAll(text, work, "<work>")
	return normalise(text)
}

var tmpRE = regexp.MustCompile(`gossible-tmp-[A-Za-z0-9]+`)

func normalise(s string) string { return tmpRE.ReplaceAllString(s, "gossible-tmp-X") }
