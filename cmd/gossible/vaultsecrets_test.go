package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlaybookVault runs the vault differential case's playbook with
// missing, wrong and conflicting vault options: messages and exit codes
// as ansible-playbook 2.14's (checked by hand against it).
func TestPlaybookVault(t *testing.T) {
	src, err := filepath.Abs(filepath.Join(diffDir, "vault"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
		wantOut  string
	}{
		{name: "right password", args: []string{"--vault-password-file", "vault-pass"}, wantCode: 0, wantOut: `"msg": "inline secret / fromfile / fromgroup / fromextra"`},
		{name: "vault id", args: []string{"--vault-id", "default@vault-pass"}, wantCode: 0, wantOut: "fromextra"},
		{name: "no password", wantCode: 1, wantErr: "ERROR! Attempting to decrypt but no vault secrets found\n"},
		{name: "wrong password", args: []string{"--vault-pass-file", "bad"}, wantCode: 1, wantErr: "ERROR! Decryption failed (no vault secrets were found that could decrypt) on "},
		{name: "missing password file", args: []string{"--vault-password-file", "absent"}, wantCode: 1, wantErr: "absent was not found\n"},
		{name: "ask with file", args: []string{"--ask-vault-pass", "--vault-password-file", "vault-pass"}, wantCode: 2,
			wantErr: "error: argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			work := copyCase(t, src)
			must(t, os.WriteFile(filepath.Join(work, "bad"), []byte("wrong\n"), 0o600))
			t.Chdir(work)
			t.Setenv("ANSIBLE_CONFIG", filepath.Join(work, "no-ansible.cfg"))
			t.Setenv("ANSIBLE_STDOUT_CALLBACK", "default")
			args := append([]string{"-i", "inventory", "-c", "local", "-e", "@extra.yml"}, tc.args...)
			var out, errb bytes.Buffer
			code := run(context.Background(), append(args, "play.yml"), stdio{in: strings.NewReader(""), out: &out, err: &errb})
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, out.String(), errb.String())
			}
			if !strings.Contains(errb.String(), tc.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errb.String(), tc.wantErr)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out.String(), tc.wantOut)
			}
		})
	}
}
