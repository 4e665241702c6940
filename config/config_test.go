package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoad(t *testing.T) {
	systemFile = filepath.Join(t.TempDir(), "absent.cfg")
	tests := []struct {
		name    string
		cfg     string // written to cwd/ansible.cfg when set
		env     map[string]string
		check   func(t *testing.T, c *Config, cwd string)
		wantErr string
	}{
		{
			name: "defaults without a file",
			check: func(t *testing.T, c *Config, _ string) {
				if c.File != "" || c.Forks != 5 || !c.HostKeyChecking || c.Timeout != 10*time.Second ||
					c.BecomeUser != "root" || c.BecomeMethod != "sudo" || c.StdoutCallback != "default" {
					t.Errorf("unexpected defaults: %+v", c)
				}
			},
		},
		{
			name: "file keys, relative inventory resolved against the file",
			cfg: "# comment\n[defaults]\ninventory = hosts/serv-disc\nremote_user: vagrant\nforks=10\n" +
				"host_key_checking = False ; no\ntimeout = 30\nroles_path = roles:/opt/roles\nstdout_callback = json\nstrategy = free\n" +
				"[privilege_escalation]\nbecome = True\nbecome_user = admin\nbecome_method = su\nbecome_ask_pass = yes\n",
			check: func(t *testing.T, c *Config, cwd string) {
				want := &Config{
					File:            filepath.Join(cwd, "ansible.cfg"),
					Inventory:       []string{filepath.Join(cwd, "hosts/serv-disc")},
					RemoteUser:      "vagrant",
					HostKeyChecking: false,
					Forks:           10,
					RolesPath:       []string{filepath.Join(cwd, "roles"), "/opt/roles"},
					Timeout:         30 * time.Second,
					StdoutCallback:  "json",
					Become:          true,
					BecomeUser:      "admin",
					BecomeMethod:    "su",
					BecomeAskPass:   true,
					Strategy:        "free",
				}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got  %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "environment overrides the file",
			cfg:  "[defaults]\nforks = 3\nremote_user = a\n[privilege_escalation]\nbecome = true\n",
			env: map[string]string{"ANSIBLE_FORKS": "7", "ANSIBLE_REMOTE_USER": "b", "ANSIBLE_BECOME": "no",
				"ANSIBLE_INVENTORY": "x,y", "NO_COLOR": "", "ANSIBLE_STDOUT_CALLBACK": "json",
				"ANSIBLE_HOST_KEY_CHECKING": "false", "ANSIBLE_TIMEOUT": "3", "ANSIBLE_FORCE_COLOR": "1",
				"ANSIBLE_BECOME_USER": "u", "ANSIBLE_BECOME_METHOD": "su", "ANSIBLE_PRIVATE_KEY_FILE": "/k"},
			check: func(t *testing.T, c *Config, cwd string) {
				if c.Forks != 7 || c.RemoteUser != "b" || c.Become || !c.NoColor || !c.ForceColor ||
					c.StdoutCallback != "json" || c.HostKeyChecking || c.Timeout != 3*time.Second ||
					c.BecomeUser != "u" || c.BecomeMethod != "su" || c.PrivateKeyFile != "/k" {
					t.Errorf("env not applied: %+v", c)
				}
				if want := []string{filepath.Join(cwd, "x"), filepath.Join(cwd, "y")}; !reflect.DeepEqual(c.Inventory, want) {
					t.Errorf("inventory = %v, want %v", c.Inventory, want)
				}
			},
		},
		{
			name: "ANSIBLE_CONFIG wins over ./ansible.cfg",
			cfg:  "[defaults]\nforks = 3\n",
			env:  map[string]string{"ANSIBLE_CONFIG": "other.cfg"},
			check: func(t *testing.T, c *Config, cwd string) {
				if c.Forks != 9 {
					t.Errorf("forks = %d, want 9 from other.cfg", c.Forks)
				}
			},
		},
		{
			name: "vault keys: file relative to the config, env relative to cwd",
			cfg:  "[defaults]\nvault_password_file = pass.txt\nvault_identity_list = dev@dev.txt, prod@prompt\nask_vault_pass = yes\n",
			check: func(t *testing.T, c *Config, cwd string) {
				if c.VaultPasswordFile != filepath.Join(cwd, "pass.txt") || !c.AskVaultPass ||
					!reflect.DeepEqual(c.VaultIdentityList, []string{"dev@dev.txt", "prod@prompt"}) {
					t.Errorf("vault keys not applied: %+v", c)
				}
			},
		},
		{
			name: "vault environment",
			env:  map[string]string{"ANSIBLE_VAULT_PASSWORD_FILE": "p", "ANSIBLE_VAULT_IDENTITY_LIST": "a@b", "ANSIBLE_ASK_VAULT_PASS": "false"},
			check: func(t *testing.T, c *Config, cwd string) {
				if c.VaultPasswordFile != filepath.Join(cwd, "p") || c.AskVaultPass || !reflect.DeepEqual(c.VaultIdentityList, []string{"a@b"}) {
					t.Errorf("vault env not applied: %+v", c)
				}
			},
		},
		{name: "bad boolean", cfg: "[defaults]\nhost_key_checking = maybe\n", wantErr: `invalid boolean "maybe"`},
		{name: "bad forks", cfg: "[defaults]\nforks = -1\n", wantErr: "expected a positive integer"},
		{name: "bad env forks", env: map[string]string{"ANSIBLE_FORKS": "x"}, wantErr: "ANSIBLE_FORKS"},
		{name: "key outside section", cfg: "forks = 1\n", wantErr: "ansible.cfg:1: \"forks = 1\" comes before any [section]"},
		{name: "missing separator", cfg: "[defaults]\nforks\n", wantErr: "ansible.cfg:2: expected 'key = value'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cwd, home := t.TempDir(), t.TempDir()
			if tc.cfg != "" {
				if err := os.WriteFile(filepath.Join(cwd, "ansible.cfg"), []byte(tc.cfg), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(cwd, "other.cfg"), []byte("[defaults]\nforks = 9\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{}
			for k, v := range tc.env {
				if k == "ANSIBLE_CONFIG" {
					v = filepath.Join(cwd, v)
				}
				env[k] = v
			}
			c, err := Load(envOf(env), cwd, home)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.File == "" && tc.cfg != "" && tc.env["ANSIBLE_CONFIG"] == "" {
				t.Fatal("config file not found")
			}
			tc.check(t, c, cwd)
		})
	}
}
