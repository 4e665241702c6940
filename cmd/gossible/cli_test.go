package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/pyfmt"
)

// TestExitCodes runs the CLI in process on small playbooks and checks the
// exit code and what is printed, as ansible-playbook 2.14 behaves.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		play       string // written to play.yml; empty: no file
		args       []string
		code       int
		wantOut    []string
		wantErr    []string
		notWantErr []string
	}{
		{name: "ok", play: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n",
			code: 0, wantOut: []string{"ok: [localhost] => {", "ok=1 "}},
		{name: "no hosts matched is ok", play: "- hosts: nomatch\n  tasks:\n    - debug: msg=hi\n",
			code: 0, wantOut: []string{"skipping: no hosts matched"}, wantErr: []string{"[WARNING]: Could not match supplied host pattern, ignoring: nomatch"}},
		{name: "failing task", play: "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/false\n",
			code: 2, wantOut: []string{"fatal: [localhost]: FAILED! =>", "failed=1"}},
		{name: "undefined variable", play: "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg={{ x }}\n",
			code: 2, wantOut: []string{`The task includes an option with an undefined variable. The error was: 'x' is undefined`}},
		{name: "yaml syntax error", play: "- hosts: all\n  tasks:\n    - debug: msg=x\n   bad: [\n",
			code: 4, wantErr: []string{"ERROR! ", "play.yml': line "}},
		{name: "unknown module", play: "- hosts: all\n  tasks:\n    - no_such_module: x=1\n",
			code: 4, wantErr: []string{"ERROR! ", "no_such_module", "play.yml': line 3, column 7"}},
		{name: "missing role lists searched paths", play: "- hosts: all\n  roles: [nope]\n",
			code: 1, wantErr: []string{"ERROR! the role 'nope' was not found in ", "/roles"}},
		{name: "missing playbook", args: []string{"absent.yml"},
			code: 1, wantErr: []string{"ERROR! the playbook: absent.yml could not be found"}},
		{name: "no playbook is a usage error", args: []string{},
			code: 2, wantErr: []string{"the following arguments are required: playbook"}},
		{name: "bad forks value", play: "- hosts: all\n", args: []string{"-f", "x"},
			code: 2, wantErr: []string{"invalid argument"}},
		{name: "zero forks", play: "- hosts: all\n", args: []string{"-f", "0"},
			code: 5, wantErr: []string{"ERROR! The number of processes (--forks) must be >= 1"}},
		{name: "limit matches nothing", play: "- hosts: all\n", args: []string{"-l", "nomatch"},
			code: 1, wantErr: []string{"ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target."}},
		{name: "bad extra vars file", play: "- hosts: all\n", args: []string{"-e", "@absent.yml"},
			code: 1, wantErr: []string{"ERROR! Unable to retrieve file contents"}},
		{name: "unknown connection", play: "- hosts: all\n  tasks: []\n", args: []string{"-c", "winrm"},
			code: 1, wantErr: []string{"ERROR! the connection plugin 'winrm' was not found"}},
		{name: "version", args: []string{"--version"}, code: 0, wantOut: []string{"gossible " + version}},
		{name: "syntax check", play: "- hosts: all\n  tasks:\n    - debug: msg=x\n", args: []string{"--syntax-check"},
			code: 0, wantOut: []string{"playbook: "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("ANSIBLE_CONFIG", filepath.Join(dir, "none.cfg"))
			t.Setenv("ANSIBLE_STDOUT_CALLBACK", "default")
			args := []string{"-i", "localhost,", "-c", "local"}
			if tc.play != "" {
				p := filepath.Join(dir, "play.yml")
				if err := os.WriteFile(p, []byte(tc.play), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(append(args, tc.args...), p)
			} else if tc.args != nil {
				args = tc.args
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out.String(), errb.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
			if strings.Contains(errb.String(), "goroutine ") || strings.Contains(errb.String(), "panic:") {
				t.Errorf("stack trace printed:\n%s", errb.String())
			}
			if n := strings.Count(errb.String(), "ERROR!"); n > 1 {
				t.Errorf("error printed %d times:\n%s", n, errb.String())
			}
		})
	}
}

// TestExtraVars checks -e parsing: k=v, JSON/YAML, @file, later wins.
func TestExtraVars(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "vars.yml")
	if err := os.WriteFile(f, []byte("a: file\nn: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      []string
		want    map[string]any
		wantErr string
	}{
		{name: "kv", in: []string{`a=1 b="two words"`}, want: map[string]any{"a": "1", "b": "two words"}},
		{name: "json", in: []string{`{"a": [1, 2]}`}, want: map[string]any{"a": []any{1, 2}}},
		{name: "file then kv wins", in: []string{"@" + f, "a=cli"}, want: map[string]any{"a": "cli", "n": 3}},
		{name: "not kv", in: []string{"justaword"}, wantErr: "could not be made into a dictionary"},
		{name: "unbalanced quote", in: []string{`a="x`}, wantErr: "unbalanced quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseExtraVars(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pyJSON(got) != pyJSON(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func pyJSON(v any) string { return pyfmt.JSON(v, 0) }
