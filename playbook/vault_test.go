package playbook

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/vault"
)

// TestLoadVault loads testdata/vault/play.yml (made with ansible-vault,
// password "secret"): !vault values in play vars and module args, a
// vaulted role vars file and a vaulted role tasks file.
func TestLoadVault(t *testing.T) {
	tests := []struct {
		name     string
		password string
		wantErr  string
	}{
		{name: "right password", password: "secret"},
		{name: "wrong password", password: "nope", wantErr: "Decryption failed (no vault secrets were found that could decrypt)"},
		{name: "no password", wantErr: "Attempting to decrypt but no vault secrets found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions()
			if tc.password != "" {
				opts.VaultSecrets = []vault.Secret{{ID: vault.DefaultID, Password: []byte(tc.password)}}
			}
			pb, err := Load("testdata/vault/play.yml", opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			play := pb.Plays[0]
			// !vault values stay sealed until used, as in Ansible; opening them here
			// checks they were loaded with the right ciphertext and secrets.
			wantVars := map[string]any{"zeta": true, "api_key": "hunter2", "alpha": 1}
			if !reflect.DeepEqual(opened(t, play.Vars), wantVars) {
				t.Errorf("play vars = %#v", play.Vars)
			}
			if got := keyorder.Keys(play.Vars); !reflect.DeepEqual(got, []string{"zeta", "api_key", "alpha"}) {
				t.Errorf("play vars order = %v", got)
			}
			if got := openedValue(t, play.Tasks[0].Args["content"]); got != "top secret" {
				t.Errorf("copy content = %#v", got)
			}
			role := play.Roles[0].Role
			if !reflect.DeepEqual(role.Vars, map[string]any{"role_secret": "fromrole", "role_mode": 493}) {
				t.Errorf("role vars = %#v", role.Vars)
			}
			if len(role.Tasks) != 1 || role.Tasks[0].Args["msg"] != "{{ role_secret }}" {
				t.Errorf("role tasks = %#v", role.Tasks)
			}
		})
	}
}

// opened returns m with its top-level vault values decrypted.
func opened(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = openedValue(t, v)
	}
	return out
}

func openedValue(t *testing.T, v any) any {
	t.Helper()
	sealed, ok := v.(*vault.Value)
	if !ok {
		return v
	}
	plain, err := sealed.Decrypt()
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	return plain
}
