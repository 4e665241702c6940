package vault

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ansibleVault returns the path of ansible-vault or skips the test.
func ansibleVault(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ansible-vault")
	if err != nil {
		t.Skip("needs ansible-vault (apt-get install -y ansible): not in PATH")
	}
	return p
}

// runAnsible runs an ansible CLI with a private home and returns stdout,
// stderr and the exit code.
func runAnsible(t *testing.T, dir string, stdin []byte, name string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "ANSIBLE_LOCAL_TEMP="+filepath.Join(dir, ".tmp"), "ANSIBLE_NOCOLOR=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), errb.String(), code
}

// TestInteropAnsibleVault checks both directions against the real
// ansible-vault: it encrypts and we decrypt, we encrypt and it decrypts.
func TestInteropAnsibleVault(t *testing.T) {
	av := ansibleVault(t)
	dir := t.TempDir()
	for name, pw := range map[string]string{"default.pw": "secret1\n", "prod.pw": "prodpw\n", "dev.pw": "devpw\n"} {
		writeFile(t, dir, name, pw, 0o600)
	}
	secrets := []Secret{{ID: "default", Password: []byte("secret1")}, {ID: "prod", Password: []byte("prodpw")}, {ID: "dev", Password: []byte("devpw")}}
	tests := []struct {
		name  string
		plain string
		id    string // "" is 1.1
		flags []string
	}{
		{name: "1.1", plain: "db_password: hunter2\n", flags: []string{"--vault-password-file", "default.pw"}},
		{name: "1.2 prod", plain: "x: 1\ny: [2, 3]\n", id: "prod", flags: []string{"--vault-id", "prod@prod.pw"}},
		{name: "1.2 dev, several ids", plain: strings.Repeat("long line of text ", 40), id: "dev",
			flags: []string{"--vault-id", "prod@prod.pw", "--vault-id", "dev@dev.pw", "--encrypt-vault-id", "dev"}},
		{name: "no trailing newline, utf-8", plain: "café ☃", flags: []string{"--vault-password-file", "default.pw"}},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/ansible encrypts", func(t *testing.T) {
			args := append([]string{"encrypt", "--output", "-"}, tc.flags...)
			out, errOut, code := runAnsible(t, dir, []byte(tc.plain), av, append(args, "-")...)
			if code != 0 {
				t.Fatalf("ansible-vault encrypt: exit %d: %s", code, errOut)
			}
			env, err := ParseEnvelope([]byte(out))
			if err != nil {
				t.Fatal(err)
			}
			if wantID := map[bool]string{true: DefaultID, false: tc.id}[tc.id == ""]; env.VaultID != wantID {
				t.Errorf("ansible wrote vault id %q, want %q", env.VaultID, wantID)
			}
			got, err := Decrypt([]byte(out), secrets)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.plain {
				t.Fatalf("decrypted %q, want %q", got, tc.plain)
			}
		})
		t.Run(tc.name+"/ansible decrypts", func(t *testing.T) {
			pw := map[string]string{"": "secret1", "prod": "prodpw", "dev": "devpw"}[tc.id]
			v, err := Encrypt([]byte(tc.plain), []byte(pw), tc.id)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"decrypt", "--output", "-"}
			for i := 0; i < len(tc.flags); i++ {
				if tc.flags[i] == "--encrypt-vault-id" { // encrypt only
					i++
					continue
				}
				args = append(args, tc.flags[i])
			}
			out, errOut, code := runAnsible(t, dir, v, av, append(args, "-")...)
			if code != 0 {
				t.Fatalf("ansible-vault decrypt: exit %d: %s", code, errOut)
			}
			if out != tc.plain {
				t.Fatalf("ansible decrypted %q, want %q", out, tc.plain)
			}
		})
	}
}

// TestInteropWrongPassword: both sides refuse a wrong password with the
// same message.
func TestInteropWrongPassword(t *testing.T) {
	av := ansibleVault(t)
	dir := t.TempDir()
	writeFile(t, dir, "wrong.pw", "nope\n", 0o600)
	v, err := Encrypt([]byte("x: 1\n"), []byte("secret1"), "")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "vars.yml", string(v), 0o600)
	_, errOut, code := runAnsible(t, dir, nil, av, "view", "--vault-password-file", "wrong.pw", "vars.yml")
	if code != 1 {
		t.Fatalf("ansible-vault view exit %d, want 1: %s", code, errOut)
	}
	_, ours := DecryptFile("vars.yml", v, []Secret{{ID: DefaultID, Password: []byte("nope")}})
	if ours == nil || !strings.Contains(errOut, "ERROR! "+ours.Error()) {
		t.Fatalf("ansible said %q, we say %v", errOut, ours)
	}
}
