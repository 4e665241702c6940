package modules

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/gossible/gossible/transport/local"
)

// testEnv is a real local connection (transport/local: /bin/sh on this
// machine) with a scratch RemoteTmp.
func testEnv(t *testing.T) *Env {
	t.Helper()
	return &Env{
		Conn:      local.New(),
		Host:      "localhost",
		RemoteTmp: t.TempDir(),
		Warn:      func(msg string) { t.Logf("warning: %s", msg) },
		FindFile: func(kind, name string) (string, error) {
			return name, nil
		},
	}
}

// runMod runs the registered module name with args.
func runMod(t *testing.T, env *Env, name string, args map[string]any) Result {
	t.Helper()
	info, ok := Lookup(name)
	if !ok {
		t.Fatalf("module %s not registered", name)
	}
	r, err := info.New().Run(context.Background(), env, args)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return r
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: owner/group changes")
	}
}

// ansible runs one module call through ansible-playbook 2.14's ad-hoc
// command against localhost with the local connection and returns the
// module's result without invocation and the executor's bookkeeping keys.
// It skips the test when ansible is not installed.
func ansible(t *testing.T, module string, args map[string]any, flags ...string) Result {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: differential tests run ansible, ~1s a call")
	}
	if _, err := exec.LookPath("ansible"); err != nil {
		t.Skip("needs ansible (apt-get install ansible) for the differential test")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ansible.cfg")
	if err := os.WriteFile(cfg, []byte("[defaults]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(args)
	argv := []string{"-m", module, "localhost", "-c", "local"}
	if len(args) > 0 {
		argv = append(argv, "-a", string(js))
	}
	cmd := exec.Command("ansible", append(argv, flags...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+cfg, "ANSIBLE_LOCALHOST_WARNING=false",
		"ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json", "ANSIBLE_NOCOLOR=1")
	out, _ := cmd.Output()
	var doc struct {
		Plays []struct {
			Tasks []struct {
				Hosts map[string]Result `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || len(doc.Plays) == 0 || len(doc.Plays[0].Tasks) == 0 {
		t.Fatalf("ansible %s %s: unreadable output: %v\n%s", module, js, err, out)
	}
	r := doc.Plays[0].Tasks[0].Hosts["localhost"]
	for _, k := range []string{"invocation", "exception", "_ansible_no_log", "action", "warnings", "deprecations"} {
		delete(r, k)
	}
	return r
}

// normalize turns a result into plain JSON values with dir replaced by "@",
// so results from two scratch dirs compare equal, and drops the keys named
// in drop (volatile ones such as temp paths and timestamps).
func normalize(r Result, dir string, drop ...string) map[string]any {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	s := strings.ReplaceAll(string(b), dir, "@")
	var m map[string]any
	_ = json.Unmarshal([]byte(s), &m)
	for _, k := range drop {
		delete(m, k)
	}
	// Ansible names its controller-side temp file as the diff's after_header.
	if l, ok := m["diff"].([]any); ok {
		for _, e := range l {
			if d, ok := e.(map[string]any); ok {
				delete(d, "after_header")
			}
		}
	}
	// Python prints the valid booleans from a set, in a per-process order.
	if msg, ok := m["msg"].(string); ok {
		if i := strings.Index(msg, "Valid booleans include:"); i >= 0 {
			m["msg"] = msg[:i]
		}
	}
	return m
}

// sub replaces "@" in string args with dir.
func sub(args map[string]any, dir string) map[string]any {
	out := map[string]any{}
	for k, v := range args {
		if s, ok := v.(string); ok {
			v = strings.ReplaceAll(s, "@", dir)
		}
		out[k] = v
	}
	return out
}

// diffResults reports keys whose values differ.
func diffResults(t *testing.T, label string, want, got map[string]any) {
	t.Helper()
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		w, wok := want[k]
		g, gok := got[k]
		switch {
		case !wok:
			t.Errorf("%s: key %q: ansible has none, gossible has %v", label, k, g)
		case !gok:
			t.Errorf("%s: key %q: ansible has %v, gossible has none", label, k, w)
		case !reflect.DeepEqual(w, g):
			t.Errorf("%s: key %q: ansible %v, gossible %v", label, k, w, g)
		}
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
