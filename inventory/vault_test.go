package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossible/gossible/vault"
)

// TestLoadWithVault loads testdata/vault (made with ansible-vault,
// password "secret"): a vaulted INI inventory, a vaulted group_vars file
// and a host_vars file with a !vault value.
func TestLoadWithVault(t *testing.T) {
	src := filepath.Join("testdata", "vault", "hosts")
	tests := []struct {
		name     string
		password string
		want     map[string]any
		wantErr  string
	}{
		{name: "right password", password: "secret", want: map[string]any{"api_key": "hunter2", "db_pass": "s3cret", "enabled": true, "mode": 420}},
		{name: "wrong password", password: "nope", wantErr: "Decryption failed (no vault secrets were found that could decrypt)"},
		{name: "no password", wantErr: "Attempting to decrypt but no vault secrets found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var secrets []vault.Secret
			if tc.password != "" {
				secrets = []vault.Secret{{ID: vault.DefaultID, Password: []byte(tc.password)}}
			}
			inv, err := LoadWith([]string{src}, LoadOptions{Secrets: secrets})
			if tc.wantErr != "" {
				var pe *ParseError
				if !errors.As(err, &pe) || !strings.Contains(pe.Msg, tc.wantErr) {
					t.Fatalf("err = %v, want a *ParseError with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := inv.outputVars("h1")
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range got {
				// !vault values stay encrypted until used
				if vv, ok := v.(*vault.Value); ok {
					if got[k], err = vv.Decrypt(); err != nil {
						t.Fatalf("%s: %v", k, err)
					}
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("h1 vars = %#v\nwant %#v", got, tc.want)
			}
			if got := inv.GroupNames("h2"); !reflect.DeepEqual(got, []string{"web"}) {
				t.Errorf("h2 groups = %v", got)
			}
		})
	}
}

// A !vault value in host_vars needs no password to load, and
// ansible-inventory shows it encrypted: {"__ansible_vault": envelope}.
func TestInlineVaultShownEncrypted(t *testing.T) {
	dir := t.TempDir()
	hv, err := os.ReadFile(filepath.Join("testdata", "vault", "host_vars", "h1.yml"))
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "host_vars"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "host_vars", "h1.yml"), hv, 0o644))
	must(os.WriteFile(filepath.Join(dir, "hosts"), []byte("h1\n"), 0o644))
	wrong := []vault.Secret{{ID: vault.DefaultID, Password: []byte("nope")}}
	for _, secrets := range [][]vault.Secret{nil, wrong} {
		inv, err := LoadWith([]string{filepath.Join(dir, "hosts")}, LoadOptions{Secrets: secrets})
		if err != nil {
			t.Fatalf("load with %d secrets: %v", len(secrets), err)
		}
		out, err := inv.HostJSON("h1")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `"api_key": {
        "__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n`) {
			t.Fatalf("--host h1 output:\n%s", out)
		}
	}
}

// A vaulted source that cannot be decrypted fails every plugin that would
// read it with the vault's own message, as Ansible words it ("Failed to
// parse FILE with yaml plugin: Decryption failed ... on FILE"), so the
// warning says the password is the problem.
func TestVaultedSourceErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "vault", "hosts"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := []vault.Secret{{ID: vault.DefaultID, Password: []byte("nope")}}
	tests := []struct {
		name    string
		file    string
		secrets []vault.Secret
		plugins []string
		msg     string
	}{
		{name: "wrong password", file: "hosts", secrets: wrong, plugins: []string{"yaml", "ini"}, msg: "Decryption failed (no vault secrets were found that could decrypt) on "},
		{name: "no password", file: "hosts", plugins: []string{"yaml", "ini"}, msg: "Attempting to decrypt but no vault secrets found"},
		{name: "yaml name", file: "inv.yml", secrets: wrong, plugins: []string{"auto", "yaml", "ini"}, msg: "Decryption failed (no vault secrets were found that could decrypt) on "},
		{name: "ini name", file: "inv.ini", secrets: wrong, plugins: []string{"ini"}, msg: "Decryption failed (no vault secrets were found that could decrypt) on "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			want := tc.msg
			if strings.HasSuffix(want, " on ") {
				want += path
			}
			_, err := LoadWith([]string{path}, LoadOptions{Secrets: tc.secrets})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			var got []string
			for _, e := range append(append([]*ParseError{}, pe.Tried...), pe) {
				got = append(got, e.Plugin)
				if e.File != path || e.Error() != want {
					t.Errorf("%s plugin: %s: %q, want %q", e.Plugin, e.File, e.Error(), want)
				}
			}
			if !reflect.DeepEqual(got, tc.plugins) {
				t.Errorf("plugins = %v, want %v", got, tc.plugins)
			}
		})
	}
}

// A vaulted group_vars/host_vars file that cannot be decrypted does not
// fail Load: it is the VarsError of the hosts it is for, worded as
// Ansible's, and only those hosts' output fails (ansible-inventory --host
// and --list; --graph shows no vars).
func TestVaultedVarsFileDeferred(t *testing.T) {
	right := []vault.Secret{{ID: vault.DefaultID, Password: []byte("secret")}}
	wrong := []vault.Secret{{ID: vault.DefaultID, Password: []byte("nope")}}
	tests := []struct {
		name    string
		file    string // vaulted with "secret"
		secrets []vault.Secret
		bad     []string // hosts whose VarsError is set
		msg     string   // FILE stands for the vaulted file
	}{
		{name: "group file, wrong password", file: "group_vars/db.yml", secrets: wrong, bad: []string{"d1"},
			msg: "Decryption failed (no vault secrets were found that could decrypt) on FILE"},
		{name: "group file, no password", file: "group_vars/db.yml", bad: []string{"d1"},
			msg: "Attempting to decrypt but no vault secrets found"},
		{name: "host file", file: "host_vars/w1.yml", secrets: wrong, bad: []string{"w1"},
			msg: "Decryption failed (no vault secrets were found that could decrypt) on FILE"},
		{name: "all file", file: "group_vars/all", secrets: wrong, bad: []string{"w1", "d1"},
			msg: "Decryption failed (no vault secrets were found that could decrypt) on FILE"},
		{name: "right password", file: "group_vars/db.yml", secrets: right},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "hosts"), "[web]\nw1\n[db]\nd1\n")
			ct, err := vault.Encrypt([]byte("secret_var: 1\n"), []byte("secret"), "")
			if err != nil {
				t.Fatal(err)
			}
			vaulted := writeFile(t, filepath.Join(dir, tc.file), string(ct))
			inv, err := LoadWith([]string{filepath.Join(dir, "hosts")}, LoadOptions{Secrets: tc.secrets})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			want := strings.ReplaceAll(tc.msg, "FILE", vaulted)
			for _, h := range []string{"w1", "d1"} {
				err := inv.VarsError(h)
				_, err2 := inv.HostJSON(h)
				if !contains(tc.bad, h) {
					if err != nil || err2 != nil {
						t.Errorf("%s: VarsError = %v, HostJSON error = %v; want none", h, err, err2)
					}
					continue
				}
				if err == nil || err.Error() != want {
					t.Errorf("%s: VarsError = %v, want %q", h, err, want)
				}
				if err2 == nil || err2.Error() != want {
					t.Errorf("%s: HostJSON error = %v, want %q", h, err2, want)
				}
				for _, l := range inv.VarLayers(h) {
					if _, ok := l["secret_var"]; ok {
						t.Errorf("%s: a layer holds the undecryptable file's vars", h)
					}
				}
			}
			if _, err := inv.ListJSON(); (err != nil) != (len(tc.bad) > 0) {
				t.Errorf("ListJSON error = %v, want one: %v", err, len(tc.bad) > 0)
			}
			if g := inv.Graph("all"); !strings.Contains(g, "--d1") {
				t.Errorf("Graph:\n%s", g)
			}
		})
	}
}
