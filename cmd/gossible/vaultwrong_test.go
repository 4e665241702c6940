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
