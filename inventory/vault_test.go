package inventory

import (
	"errors"
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
			if got := inv.hostVars("h1"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("h1 vars = %#v\nwant %#v", got, tc.want)
			}
			if got := inv.GroupNames("h2"); !reflect.DeepEqual(got, []string{"web"}) {
				t.Errorf("h2 groups = %v", got)
			}
		})
	}
}
