package template

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossible/gossible/vault"
)

// TestUnvaultLookupSecrets: the lookup opens testdata/lookup/files/secret.vault (made by
// ansible-vault with the password "lookup-pass") with the engine's secrets, whatever
// their labels, and never shows a password in its error. The corpus has the cases
// without secrets, as its oracle runs with none.
func TestUnvaultLookupSecrets(t *testing.T) {
	dir, err := filepath.Abs("testdata/lookup")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScope(map[string]any{"playbook_dir": dir})
	tests := []struct {
		name     string
		template string
		secrets  []vault.Secret
		want     string
		wantErr  string
	}{
		{name: "default secret", template: "{{ lookup('unvault', 'secret.vault') }}",
			secrets: []vault.Secret{{ID: vault.DefaultID, Password: []byte("lookup-pass")}}, want: "lookup secret\n"},
		{name: "labelled secret after a wrong one", template: "{{ lookup('unvault', 'secret.vault') }}",
			secrets: []vault.Secret{{ID: "dev", Password: []byte("nope")}, {ID: "prod", Password: []byte("lookup-pass")}}, want: "lookup secret\n"},
		{name: "plain file with secrets", template: "{{ query('unvault', 'top.txt', 'secret.vault') }}",
			secrets: []vault.Secret{{ID: vault.DefaultID, Password: []byte("lookup-pass")}}, want: "['top level\\n', 'lookup secret\\n']"},
		{name: "wrong secret", template: "{{ lookup('unvault', 'secret.vault') }}",
			secrets: []vault.Secret{{ID: vault.DefaultID, Password: []byte("not-it")}},
			wantErr: "An unhandled exception occurred while running the lookup plugin 'unvault'. Error was a <class 'ansible.parsing.vault.AnsibleVaultError'>, original message: Decryption failed (no vault secrets were found that could decrypt) on " + filepath.Join(dir, "files/secret.vault")},
		{name: "no secrets", template: "{{ lookup('unvault', 'secret.vault') }}",
			wantErr: "An unhandled exception occurred while running the lookup plugin 'unvault'. Error was a <class 'ansible.errors.AnsibleParserError'>, original message: A vault password or secret must be specified to decrypt " + filepath.Join(dir, "files/secret.vault")},
		{name: "wrong secret ignored", template: "[{{ lookup('unvault', 'secret.vault', errors='ignore') }}]",
			secrets: []vault.Secret{{ID: vault.DefaultID, Password: []byte("not-it")}}, want: "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New()
			e.SetVaultSecrets(tc.secrets)
			got, err := e.RenderString(tc.template, s)
			if tc.wantErr != "" {
				// a prefix: Ansible's exception repeats the plugin's message after it
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				for _, sec := range tc.secrets {
					if strings.Contains(err.Error(), string(sec.Password)) {
						t.Fatalf("error shows a password: %v", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEngineLookupUnvaultLoop: a with_unvault loop shows a missing file with the bare
// message, as Ansible's task executor does.
func TestEngineLookupUnvaultLoop(t *testing.T) {
	dir, err := filepath.Abs("testdata/lookup")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScope(map[string]any{"playbook_dir": dir})
	e := New()
	e.SetVaultSecrets([]vault.Secret{{ID: vault.DefaultID, Password: []byte("lookup-pass")}})
	got, err := e.Lookup("unvault", []any{"secret.vault", "top.txt"}, nil, s)
	if err != nil || len(got) != 2 || got[0] != "lookup secret\n" || got[1] != "top level\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = e.Lookup("unvault", []any{"nope.txt"}, nil, s)
	if want := `Unable to find file matching "nope.txt" `; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}
