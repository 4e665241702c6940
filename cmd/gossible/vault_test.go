package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossible/gossible/vault"
)

// vaultFixture is a temp dir with password files pw1 (secret1), pw2
// (other), an executable password script, editor scripts and a few files.
func vaultFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := []struct {
		name, data string
		mode       os.FileMode
	}{
		{"pw1", "secret1\n", 0o600},
		{"pw2", "other\n", 0o600},
		{"pw-script", "#!/bin/sh\necho secret1\n", 0o700},
		{"plain.yml", "a: 1\n", 0o640},
		{"editor-write", "#!/bin/sh\nprintf 'created: yes\\n' > \"$1\"\n", 0o700},
		{"editor-append", "#!/bin/sh\nprintf 'b: 2\\n' >> \"$1\"\n", 0o700},
		{"editor-noop", "#!/bin/sh\nexit 0\n", 0o700},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.data), f.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, f.mode); err != nil {
			t.Fatal(err)
		}
	}
	vaultWrite(t, filepath.Join(dir, "v11.yml"), "a: 1\n", "secret1", "", 0o640)
	vaultWrite(t, filepath.Join(dir, "v12.yml"), "a: 1\n", "other", "prod", 0o644)
	return dir
}

func vaultWrite(t *testing.T, path, plain, pw, id string, mode os.FileMode) {
	t.Helper()
	v, err := vault.Encrypt([]byte(plain), []byte(pw), id)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, v, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// vaultOpen decrypts path with the fixture's passwords and checks the
// plaintext, vault id and mode.
func vaultOpen(t *testing.T, path, wantPlain, wantID string, wantMode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env, err := vault.ParseEnvelope(data)
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, data)
	}
	pt, err := vault.Decrypt(data, []vault.Secret{{ID: "default", Password: []byte("secret1")}, {ID: "x", Password: []byte("other")}})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if string(pt) != wantPlain || env.VaultID != wantID {
		t.Fatalf("%s: plaintext %q id %q, want %q id %q", path, pt, env.VaultID, wantPlain, wantID)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != wantMode {
		t.Fatalf("%s: mode %v, want %v", path, st.Mode().Perm(), wantMode)
	}
}

func TestVaultCLI(t *testing.T) {
	tests := []struct {
		name    string
		args    []string // "DIR" is replaced by the fixture directory
		stdin   string
		env     map[string]string
		prompts []string // answers to password prompts, in order
		tty     bool     // stdout and stdin count as terminals
		code    int
		wantOut []string
		wantErr []string
		check   func(t *testing.T, dir, stdout string)
	}{
		{name: "encrypt in place keeps mode", args: []string{"encrypt", "--vault-password-file", "DIR/pw1", "DIR/plain.yml"},
			check: func(t *testing.T, dir, _ string) { vaultOpen(t, dir+"/plain.yml", "a: 1\n", "default", 0o640) }},
		{name: "encrypt with vault id to output", args: []string{"encrypt", "--vault-id", "prod@DIR/pw2", "--output", "DIR/out.yml", "DIR/plain.yml"},
			check: func(t *testing.T, dir, _ string) { vaultOpen(t, dir+"/out.yml", "a: 1\n", "prod", 0o600) }},
		{name: "encrypt stdin to stdout with script secret", args: []string{"encrypt", "--vault-password-file", "DIR/pw-script"}, stdin: "from stdin\n",
			wantOut: []string{"$ANSIBLE_VAULT;1.1;AES256\n"},
			check: func(t *testing.T, _, out string) {
				pt, err := vault.Decrypt([]byte(out), []vault.Secret{{Password: []byte("secret1")}})
				if err != nil || string(pt) != "from stdin\n" {
					t.Fatalf("stdout decrypts to %q, %v", pt, err)
				}
			}},
		{name: "success message on a terminal", tty: true, args: []string{"encrypt", "--vault-password-file", "DIR/pw1", "DIR/plain.yml"},
			wantErr: []string{"Encryption successful"}},
		{name: "encrypting a vault", args: []string{"encrypt", "--vault-password-file", "DIR/pw1", "DIR/v11.yml"},
			code: 1, wantErr: []string{"ERROR! input is already encrypted"}},
		{name: "two ids need --encrypt-vault-id", args: []string{"encrypt", "--vault-id", "a@DIR/pw1", "--vault-password-file", "DIR/pw2", "DIR/plain.yml"},
			code: 5, wantErr: []string{"ERROR! The vault-ids a,default are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id"}},
		{name: "unknown --encrypt-vault-id", args: []string{"encrypt", "--vault-id", "a@DIR/pw1", "--encrypt-vault-id", "zz", "DIR/plain.yml"},
			code: 1, wantErr: []string{"ERROR! Did not find a match for --encrypt-vault-id=zz in the known vault-ids ['a']"}},
		{name: "ask vault pass asks twice", args: []string{"encrypt", "--ask-vault-pass", "DIR/plain.yml"}, prompts: []string{"typed", "typed"},
			wantErr: []string{"prompt: New Vault password: ", "prompt: Confirm New Vault password: "},
			check: func(t *testing.T, dir, _ string) {
				data, _ := os.ReadFile(dir + "/plain.yml")
				if _, err := vault.Decrypt(data, []vault.Secret{{Password: []byte("typed")}}); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "no password source prompts", args: []string{"view", "DIR/v11.yml"}, prompts: []string{"secret1"},
			wantErr: []string{"prompt: Vault password: "}, wantOut: []string{"a: 1\n"}},
		{name: "ask pass with password file is a usage error", args: []string{"view", "--ask-vault-pass", "--vault-password-file", "DIR/pw1", "DIR/v11.yml"},
			code: 2, wantErr: []string{"not allowed with argument"}},
		{name: "missing password file", args: []string{"view", "--vault-password-file", "DIR/nope", "DIR/v11.yml"},
			code: 1, wantErr: []string{"[WARNING]: Error getting vault password file (default): The vault password file DIR/nope was not found", "ERROR! The vault password file DIR/nope was not found"}},
		{name: "decrypt in place", args: []string{"decrypt", "--vault-password-file", "DIR/pw1", "DIR/v11.yml"},
			check: func(t *testing.T, dir, _ string) {
				data, _ := os.ReadFile(dir + "/v11.yml")
				st, _ := os.Stat(dir + "/v11.yml")
				if string(data) != "a: 1\n" || st.Mode().Perm() != 0o640 {
					t.Fatalf("decrypted file %q mode %v", data, st.Mode().Perm())
				}
			}},
		{name: "decrypt 1.2 to stdout", args: []string{"decrypt", "--vault-id", "prod@DIR/pw2", "--output", "-", "DIR/v12.yml"},
			wantOut: []string{"a: 1\n"}},
		{name: "decrypt wrong password", args: []string{"decrypt", "--vault-password-file", "DIR/pw2", "DIR/v11.yml"},
			code: 1, wantErr: []string{"ERROR! Decryption failed (no vault secrets were found that could decrypt) on DIR/v11.yml for DIR/v11.yml"}},
		{name: "decrypt plaintext", args: []string{"decrypt", "--vault-password-file", "DIR/pw1", "DIR/plain.yml"},
			code: 1, wantErr: []string{"ERROR! input is not vault encrypted data. DIR/plain.yml is not a vault encrypted file for DIR/plain.yml"}},
		{name: "--output with two files", args: []string{"decrypt", "--vault-password-file", "DIR/pw1", "--output", "-", "DIR/v11.yml", "DIR/v12.yml"},
			code: 5, wantErr: []string{"ERROR! At most one input file may be used with the --output option"}},
		{name: "view tries every secret", args: []string{"view", "--vault-password-file", "DIR/pw2", "--vault-password-file", "DIR/pw1", "DIR/v11.yml", "DIR/v12.yml"},
			wantOut: []string{"a: 1\na: 1\n"}},
		{name: "encrypt_string named", args: []string{"encrypt_string", "--vault-password-file", "DIR/pw1", "--name", "x", "hello"},
			wantOut: []string{"x: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          "},
			check: func(t *testing.T, _, out string) {
				if strings.HasSuffix(out, "\n") {
					t.Fatal("encrypt_string output ends with a newline; ansible-vault's does not")
				}
			}},
		{name: "encrypt_string several", args: []string{"encrypt_string", "--vault-id", "prod@DIR/pw1", "-n", "a", "one", "two"},
			wantOut: []string{"a: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;prod\n", "\n!vault |\n          $ANSIBLE_VAULT;1.2;AES256;prod\n"},
			wantErr: []string{"The last named variable will be \"a\"", "# The encrypted version of variable (\"a\", the string #1 from the command line args).", "# The encrypted version of the string #2 from the command line args.)"}},
		{name: "encrypt_string stdin name", args: []string{"encrypt_string", "--vault-password-file", "DIR/pw1", "--stdin-name", "s"}, stdin: "piped",
			wantOut: []string{"s: !vault |\n"}},
		{name: "encrypt_string empty stdin", args: []string{"encrypt_string", "--vault-password-file", "DIR/pw1"},
			code: 5, wantErr: []string{"ERROR! stdin was empty, not encrypting"}},
		{name: "encrypt_string prompt with stdin", args: []string{"encrypt_string", "--vault-password-file", "DIR/pw1", "-p"},
			code: 5, wantErr: []string{"ERROR! The --prompt option is not supported if also reading input from stdin"}},
		{name: "create", args: []string{"create", "--vault-password-file", "DIR/pw1", "DIR/sub/new.yml"}, env: map[string]string{"EDITOR": "DIR/editor-write"},
			wantErr: []string{"[WARNING]: DIR/sub does not exist, creating..."},
			check: func(t *testing.T, dir, _ string) {
				vaultOpen(t, dir+"/sub/new.yml", "created: yes\n", "default", 0o600)
			}},
		{name: "create existing", args: []string{"create", "--vault-password-file", "DIR/pw1", "DIR/plain.yml"}, env: map[string]string{"EDITOR": "DIR/editor-write"},
			code: 1, wantErr: []string{"ERROR! DIR/plain.yml exists, please use 'edit' instead"}},
		{name: "create two files", args: []string{"create", "--vault-password-file", "DIR/pw1", "DIR/a", "DIR/b"},
			code: 5, wantErr: []string{"ERROR! ansible-vault create can take only one filename argument"}},
		{name: "edit keeps id and mode", args: []string{"edit", "--vault-password-file", "DIR/pw2", "DIR/v12.yml"}, env: map[string]string{"EDITOR": "DIR/editor-append"},
			check: func(t *testing.T, dir, _ string) { vaultOpen(t, dir+"/v12.yml", "a: 1\nb: 2\n", "prod", 0o644) }},
		{name: "edit unchanged leaves file", args: []string{"edit", "--vault-password-file", "DIR/pw1", "DIR/v11.yml"}, env: map[string]string{"EDITOR": "DIR/editor-noop"},
			check: func(t *testing.T, dir, _ string) {
				st, _ := os.Stat(dir + "/v11.yml")
				if data, _ := os.ReadFile(dir + "/v11.yml"); !bytes.HasPrefix(data, []byte("$ANSIBLE_VAULT;1.1")) || st.Mode().Perm() != 0o640 {
					t.Fatalf("file changed: %q", data)
				}
			}},
		{name: "edit wrong password", args: []string{"edit", "--vault-password-file", "DIR/pw2", "DIR/v11.yml"}, env: map[string]string{"EDITOR": "DIR/editor-noop"},
			code: 1, wantErr: []string{"ERROR! Decryption failed (no vault secrets were found that could decrypt) for DIR/v11.yml"}},
		{name: "rekey to new id", args: []string{"rekey", "--vault-password-file", "DIR/pw1", "--new-vault-id", "prod@DIR/pw2", "DIR/v11.yml"},
			wantErr: []string{"Rekey successful"},
			check:   func(t *testing.T, dir, _ string) { vaultOpen(t, dir+"/v11.yml", "a: 1\n", "prod", 0o640) }},
		{name: "rekey with new password file", args: []string{"rekey", "--vault-id", "prod@DIR/pw2", "--new-vault-password-file", "DIR/pw1", "DIR/v12.yml"},
			check: func(t *testing.T, dir, _ string) { vaultOpen(t, dir+"/v12.yml", "a: 1\n", "default", 0o644) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := vaultFixture(t)
			fix := func(s string) string { return strings.ReplaceAll(s, "DIR", dir) }
			for k, v := range tc.env {
				t.Setenv(k, fix(v))
			}
			t.Setenv("ANSIBLE_VAULT_PASSWORD_FILE", "")
			t.Setenv("ANSIBLE_VAULT_IDENTITY_LIST", "")
			var stdout, stderr bytes.Buffer
			prompts := tc.prompts
			restorePrompt, restoreTTY := vaultPrompt, isTerminal
			defer func() { vaultPrompt, isTerminal = restorePrompt, restoreTTY }()
			vaultPrompt = func(p string) ([]byte, error) {
				stderr.WriteString("prompt: " + p)
				if len(prompts) == 0 {
					return nil, errors.New("unexpected prompt")
				}
				a := prompts[0]
				prompts = prompts[1:]
				return []byte(a), nil
			}
			isTerminal = func(any) bool { return tc.tty }
			args := []string{"vault"}
			for _, a := range tc.args {
				args = append(args, fix(a))
			}
			code := run(context.Background(), args, stdio{in: strings.NewReader(tc.stdin), out: &stdout, err: &stderr})
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, w := range tc.wantOut {
				if !strings.Contains(stdout.String(), fix(w)) {
					t.Errorf("stdout lacks %q:\n%s", fix(w), stdout.String())
				}
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(stderr.String(), fix(w)) {
					t.Errorf("stderr lacks %q:\n%s", fix(w), stderr.String())
				}
			}
			if tc.check != nil {
				tc.check(t, dir, stdout.String())
			}
		})
	}
}

// TestVaultCLIInterop runs gossible vault and the real ansible tools on
// each other's output. Skips without Debian's ansible package.
func TestVaultCLIInterop(t *testing.T) {
	for _, tool := range []string{"ansible-vault", "ansible"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (apt-get install -y ansible): not in PATH", tool)
		}
	}
	dir := vaultFixture(t)
	ansible := func(stdin string, name string, args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "ANSIBLE_LOCAL_TEMP="+dir+"/.tmp", "ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCALHOST_WARNING=0")
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out.String(), errb.String(), ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), 0
	}
	gossible := func(stdin string, args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"vault"}, args...), stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
		return out.String(), errb.String(), code
	}

	t.Run("encrypt_string read by ansible", func(t *testing.T) {
		out, errOut, code := gossible("", "encrypt_string", "--vault-id", "prod@"+dir+"/pw2", "--name", "x", "hello vault")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if err := os.WriteFile(dir+"/vars.yml", []byte(out+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got, errOut, code := ansible("", "ansible", "localhost", "-m", "debug", "-a", "var=x", "-e", "@vars.yml", "--vault-password-file", "pw2")
		if code != 0 || !strings.Contains(got, `"x": "hello vault"`) {
			t.Fatalf("ansible exit %d:\n%s\n%s", code, got, errOut)
		}
	})
	t.Run("ansible encrypt_string read by view", func(t *testing.T) {
		out, errOut, code := ansible("", "ansible-vault", "encrypt_string", "--vault-password-file", "pw1", "--name", "y", "from ansible")
		if code != 0 {
			t.Fatalf("ansible-vault exit %d: %s", code, errOut)
		}
		_, v, _ := strings.Cut(out, "!vault |")
		lines := strings.Split(strings.TrimSpace(v), "\n")
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
		got, errOut, code := gossible(strings.Join(lines, "\n")+"\n", "decrypt", "--vault-password-file", dir+"/pw1")
		if code != 0 || got != "from ansible" {
			t.Fatalf("exit %d, got %q: %s", code, got, errOut)
		}
	})
	t.Run("gossible file edited by ansible-vault rekey", func(t *testing.T) {
		if _, errOut, code := gossible("", "encrypt", "--vault-id", "dev@"+dir+"/pw1", dir+"/plain.yml"); code != 0 {
			t.Fatal(errOut)
		}
		if _, errOut, code := ansible("", "ansible-vault", "rekey", "--vault-id", "dev@pw1", "--new-vault-id", "prod@pw2", "plain.yml"); code != 0 {
			t.Fatal(errOut)
		}
		got, errOut, code := gossible("", "view", "--vault-id", "prod@"+dir+"/pw2", dir+"/plain.yml")
		if code != 0 || got != "a: 1\n" {
			t.Fatalf("exit %d, got %q: %s", code, got, errOut)
		}
	})
	t.Run("wrong password message matches", func(t *testing.T) {
		t.Chdir(dir) // both name the file as given: relative
		_, theirs, code := ansible("", "ansible-vault", "view", "--vault-password-file", "pw2", "v11.yml")
		if code != 1 {
			t.Fatalf("ansible-vault exit %d: %s", code, theirs)
		}
		_, ours, code := gossible("", "view", "--vault-password-file", dir+"/pw2", "v11.yml")
		if code != 1 {
			t.Fatalf("gossible exit %d: %s", code, ours)
		}
		if strings.TrimSpace(theirs) != strings.TrimSpace(ours) {
			t.Fatalf("ansible-vault: %q\ngossible:      %q", theirs, ours)
		}
	})
}
