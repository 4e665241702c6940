package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A wrong vault password for a fully vaulted file says so and names the
// file, with ansible-playbook 2.14's exit code: an error for a playbook or
// vars file, warnings for an inventory source (which Ansible skips).
func TestVaultWrongPassword(t *testing.T) {
	const failed = "Decryption failed (no vault secrets were found that could decrypt) on "
	play := "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n"
	tests := []struct {
		name     string
		vaulted  string // the file encrypted with the right password
		files    map[string]string
		inv      string
		wantCode int
		want     []string // in stderr, whitespace folded; FILE is the vaulted file
	}{
		{name: "playbook", vaulted: "play.yml", files: map[string]string{"play.yml": play}, wantCode: 1,
			want: []string{"ERROR! " + failed + "FILE"}},
		{name: "vars file", vaulted: "secret.yml", files: map[string]string{"secret.yml": "a: 1\n",
			"play.yml": "- hosts: all\n  gather_facts: false\n  vars_files: [secret.yml]\n  tasks:\n    - debug: var=a\n"}, wantCode: 1,
			want: []string{"ERROR! " + failed + "FILE"}},
		{name: "inventory", vaulted: "hosts", inv: "hosts", files: map[string]string{"hosts": "[web]\nlocalhost\n", "play.yml": play}, wantCode: 0,
			want: []string{"Failed to parse FILE with yaml plugin: " + failed + "FILE", "Failed to parse FILE with ini plugin: " + failed + "FILE",
				"Unable to parse FILE as an inventory source"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				path := filepath.Join(dir, name)
				if name == tc.vaulted {
					vaultWrite(t, path, text, "right", "", 0o644)
					continue
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pw := filepath.Join(dir, "wrong-pass")
			if err := os.WriteFile(pw, []byte("wrong\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			inv := "localhost,"
			if tc.inv != "" {
				inv = filepath.Join(dir, tc.inv)
			}
			args := []string{"-i", inv, "-c", "local", "--vault-password-file", pw, filepath.Join(dir, "play.yml")}
			var out, errb bytes.Buffer
			code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
			stderr := strings.Join(strings.Fields(errb.String()), " ")
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			for _, w := range tc.want {
				w = strings.ReplaceAll(w, "FILE", filepath.Join(dir, tc.vaulted))
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// A group_vars file vaulted with another password is read when a host's
// variables are needed, as in Ansible 2.14: ansible-inventory --list and
// --host for its hosts fail with exit code 4, --graph and the other hosts
// do not; ansible-playbook shows the play banner, then fails with exit
// code 4, and only for a play holding one of its hosts.
func TestVaultWrongPasswordVarsFile(t *testing.T) {
	const failed = "ERROR! Decryption failed (no vault secrets were found that could decrypt) on "
	dir := t.TempDir()
	t.Setenv("ANSIBLE_CONFIG", filepath.Join(dir, "none.cfg"))
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	inv := write("hosts", "[web]\nlocalhost ansible_connection=local\n[db]\ndbhost ansible_connection=local\n")
	pw := write("wrong-pass", "wrong\n")
	vaulted := filepath.Join(dir, "group_vars", "db.yml")
	write("group_vars/db.yml", "")
	vaultWrite(t, vaulted, "b: 2\n", "right", "", 0o644)
	web := write("web.yml", "- hosts: web\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
	all := write("all.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  string // in stdout
		stderr  string // the whole of stderr
		noTasks bool
	}{
		{name: "inventory list", args: []string{"inventory", "-i", inv, "--vault-password-file", pw, "--list"}, code: 4,
			stderr: failed + vaulted + "\n"},
		{name: "inventory host", args: []string{"inventory", "-i", inv, "--vault-password-file", pw, "--host", "dbhost"}, code: 4,
			stderr: failed + vaulted + "\n"},
		{name: "inventory no password", args: []string{"inventory", "-i", inv, "--host", "dbhost"}, code: 4,
			stderr: "ERROR! Attempting to decrypt but no vault secrets found\n"},
		{name: "inventory other host", args: []string{"inventory", "-i", inv, "--vault-password-file", pw, "--host", "localhost"},
			stdout: "{\n    \"ansible_connection\": \"local\"\n}\n"},
		{name: "inventory graph", args: []string{"inventory", "-i", inv, "--vault-password-file", pw, "--graph"},
			stdout: "  |  |--dbhost\n"},
		{name: "play without its hosts", args: []string{"-i", inv, "--vault-password-file", pw, web},
			stdout: "ok: [localhost]"},
		{name: "play with its hosts", args: []string{"-i", inv, "--vault-password-file", pw, all}, code: 4,
			stdout: "PLAY [all] ***", stderr: failed + vaulted + "\n", noTasks: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
			if code != tc.code {
				t.Fatalf("exit code %d, want %d\n%s%s", code, tc.code, out.String(), errb.String())
			}
			if errb.String() != tc.stderr {
				t.Errorf("stderr = %q, want %q", errb.String(), tc.stderr)
			}
			if !strings.Contains(out.String(), tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, out.String())
			}
			if tc.noTasks && strings.Contains(out.String(), "TASK [") {
				t.Errorf("a task ran:\n%s", out.String())
			}
		})
	}
}
