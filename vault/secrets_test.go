package vault

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFile creates name in dir with content and mode and returns its path.
func writeFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadSecrets(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "pw.txt", "  secret1 \n", 0o600)
	script := writeFile(t, dir, "pw.sh", "#!/bin/sh\necho fromscript\n", 0o700)
	client := writeFile(t, dir, "vault-client.sh", "#!/bin/sh\n[ \"$1\" = --vault-id ] || exit 3\n[ \"$2\" = prod ] || { echo \"unknown $2\" >&2; exit 2; }\necho clientpw\n", 0o700)
	failing := writeFile(t, dir, "fail.sh", "#!/bin/sh\nexit 7\n", 0o700)
	empty := writeFile(t, dir, "empty.txt", "\n\n", 0o600)
	vaulted, err := Encrypt([]byte("inner\n"), []byte("secret1"), "")
	if err != nil {
		t.Fatal(err)
	}
	vaultedFile := writeFile(t, dir, "vaulted.txt", string(vaulted), 0o600)
	missing := filepath.Join(dir, "missing.txt")

	answers := func(a ...string) func(string) ([]byte, error) {
		return func(p string) ([]byte, error) {
			if len(a) == 0 {
				return nil, errors.New("unexpected prompt " + p)
			}
			s := a[0]
			a = a[1:]
			return []byte(s), nil
		}
	}
	tests := []struct {
		name     string
		opts     Options
		want     []Secret
		wantErr  string
		wantWarn string
	}{
		{name: "password file stripped", opts: Options{PasswordFiles: []string{plain}},
			want: []Secret{{ID: "default", Password: []byte("secret1")}}},
		{name: "executable script", opts: Options{PasswordFiles: []string{script}},
			want: []Secret{{ID: "default", Password: []byte("fromscript")}}},
		{name: "client script gets the label", opts: Options{IDs: []string{"prod@" + client}},
			want: []Secret{{ID: "prod", Password: []byte("clientpw")}}},
		{name: "client script unknown id", opts: Options{IDs: []string{"dev@" + client}},
			wantErr: "did not find a secret for vault-id=dev: unknown dev"},
		{name: "failing script", opts: Options{PasswordFiles: []string{failing}},
			wantErr: "returned non-zero (7)"},
		{name: "ids first, then files", opts: Options{IDs: []string{"prod@" + script, plain}, PasswordFiles: []string{plain}},
			want: []Secret{{ID: "prod", Password: []byte("fromscript")}, {ID: "default", Password: []byte("secret1")}, {ID: "default", Password: []byte("secret1")}}},
		{name: "missing file", opts: Options{PasswordFiles: []string{missing}},
			wantErr: "The vault password file " + missing + " was not found"},
		{name: "missing file beside a good one warns", opts: Options{PasswordFiles: []string{missing, plain}},
			want: []Secret{{ID: "default", Password: []byte("secret1")}}, wantWarn: "was not found"},
		{name: "empty file", opts: Options{PasswordFiles: []string{empty}},
			wantErr: "Invalid vault password was provided from file"},
		{name: "vaulted password file", opts: Options{IDs: []string{"a@" + plain, "b@" + vaultedFile}},
			want: []Secret{{ID: "a", Password: []byte("secret1")}, {ID: "b", Password: []byte("inner")}}},
		{name: "label@prompt", opts: Options{IDs: []string{"dev@prompt"}, Prompt: answers("devpw")},
			want: []Secret{{ID: "dev", Password: []byte("devpw")}}},
		{name: "ask vault pass", opts: Options{AskVaultPass: true, Prompt: answers("askpw\n")},
			want: []Secret{{ID: "default", Password: []byte("askpw")}}},
		{name: "new password confirmed", opts: Options{AskVaultPass: true, NewPassword: true, Prompt: answers("n1", "n1")},
			want: []Secret{{ID: "default", Password: []byte("n1")}}},
		{name: "new password mismatch", opts: Options{AskVaultPass: true, NewPassword: true, Prompt: answers("n1", "n2")},
			wantErr: "Passwords do not match"},
		{name: "empty prompt answer", opts: Options{AskVaultPass: true, Prompt: answers("")},
			wantErr: "Invalid vault password was provided"},
		{name: "auto prompt when nothing given", opts: Options{AutoPrompt: true, Prompt: answers("auto")},
			want: []Secret{{ID: "default", Password: []byte("auto")}}},
		{name: "nothing given, no auto prompt", opts: Options{}},
		{name: "semicolon in label", opts: Options{IDs: []string{"a;b@" + plain}},
			wantErr: "The character ';' is not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var warns []string
			tc.opts.Warn = func(m string) { warns = append(warns, m) }
			got, err := tc.opts.Load()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("secrets = %q, want %q", got, tc.want)
			}
			if tc.wantWarn != "" && (len(warns) != 1 || !strings.Contains(warns[0], tc.wantWarn)) {
				t.Fatalf("warnings = %q, want one containing %q", warns, tc.wantWarn)
			}
		})
	}
}

func TestLoadSecretsPlaybookFlags(t *testing.T) {
	dir := t.TempDir()
	plain := writeFile(t, dir, "pw.txt", "secret1\n", 0o600)
	asked := 0
	got, err := LoadSecrets([]string{plain}, []string{"dev@prompt"}, func() ([]byte, error) {
		asked++
		return []byte("typed"), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Secret{{ID: "dev", Password: []byte("typed")}, {ID: "default", Password: []byte("secret1")}, {ID: "default", Password: []byte("typed")}}
	if !reflect.DeepEqual(got, want) || asked != 2 {
		t.Fatalf("secrets = %q (asked %d), want %q (asked 2)", got, asked, want)
	}
}

func TestSplitID(t *testing.T) {
	tests := []struct{ name, in, label, source string }{
		{name: "label and file", in: "prod@/x/pw", label: "prod", source: "/x/pw"},
		{name: "file only", in: "/x/pw", source: "/x/pw"},
		{name: "at in source", in: "a@b@c", label: "a", source: "b@c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, s := SplitID(tc.in)
			if l != tc.label || s != tc.source {
				t.Fatalf("SplitID(%q) = %q, %q", tc.in, l, s)
			}
		})
	}
}
