// Package config reads Ansible's configuration the way ansible-core 2.14 does:
// the first file found of $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg and
// /etc/ansible/ansible.cfg, then ANSIBLE_* environment overrides. Only the
// keys gossible uses are typed here; other keys are read and ignored, as
// Ansible ignores keys of plugins it does not load.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the resolved configuration. Zero values are never used: Load
// starts from Default().
type Config struct {
	// File is the configuration file read; empty when none was found.
	File string
	// Inventory lists inventory sources ([defaults] inventory), paths made
	// absolute relative to the file that named them.
	Inventory []string
	// RemoteUser is the login user ([defaults] remote_user); empty means the
	// controller's user.
	RemoteUser string
	// PrivateKeyFile is [defaults] private_key_file.
	PrivateKeyFile string
	// HostKeyChecking is [defaults] host_key_checking (default true).
	HostKeyChecking bool
	// Forks is how many hosts run a task at once (default 5).
	Forks int
	// RolesPath lists role search directories ([defaults] roles_path).
	RolesPath []string
	// Timeout is the connection timeout ([defaults] timeout, seconds, default 10).
	Timeout time.Duration
	// StdoutCallback names the output plugin ("default" or "json").
	StdoutCallback string
	// Become is [privilege_escalation] become.
	Become bool
	// BecomeUser is [privilege_escalation] become_user (default root).
	BecomeUser string
	// BecomeMethod is [privilege_escalation] become_method (default sudo).
	BecomeMethod string
	// BecomeAskPass is [privilege_escalation] become_ask_pass.
	BecomeAskPass bool
	// NoColor is set by ANSIBLE_NOCOLOR, NO_COLOR or [defaults] nocolor.
	NoColor bool
	// ForceColor is set by ANSIBLE_FORCE_COLOR or [defaults] force_color.
	ForceColor bool
	// VaultPasswordFile is [defaults] vault_password_file (or
	// ANSIBLE_VAULT_PASSWORD_FILE); used after the --vault-password-file
	// files.
	VaultPasswordFile string
	// VaultIdentityList is [defaults] vault_identity_list (or
	// ANSIBLE_VAULT_IDENTITY_LIST), comma-separated; used before the
	// --vault-id values.
	VaultIdentityList []string
	// AskVaultPass is [defaults] ask_vault_pass (ANSIBLE_ASK_VAULT_PASS).
	AskVaultPass bool
	// Strategy is the strategy of plays that set none ([defaults] strategy
	// or ANSIBLE_STRATEGY, default linear).
	Strategy string
}

// Default returns ansible-core 2.14's defaults for the keys gossible reads.
func Default(home string) *Config {
	return &Config{
		Inventory:       []string{"/etc/ansible/hosts"},
		HostKeyChecking: true,
		Forks:           5,
		RolesPath: []string{
			filepath.Join(home, ".ansible/roles"),
			"/usr/share/ansible/roles",
			"/etc/ansible/roles",
		},
		Timeout:        10 * time.Second,
		StdoutCallback: "default",
		BecomeUser:     "root",
		BecomeMethod:   "sudo",
		Strategy:       "linear",
	}
}

// systemFile is the last place searched; a variable so tests can avoid the
// machine's own file.
var systemFile = "/etc/ansible/ansible.cfg"

// Env is how Load reads the process environment (os.LookupEnv in production).
type Env func(name string) (string, bool)

// Load finds and reads the configuration file, then applies environment
// overrides. cwd and home are the working and home directories.
func Load(env Env, cwd, home string) (*Config, error) {
	c := Default(home)
	path, err := find(env, cwd, home)
	if err != nil {
		return nil, err
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading config file %s: %w", path, err)
		}
		ini, err := parseINI(path, string(data))
		if err != nil {
			return nil, err
		}
		c.File = path
		if err := c.applyFile(ini, filepath.Dir(path), home); err != nil {
			return nil, err
		}
	}
	if err := c.applyEnv(env, cwd, home); err != nil {
		return nil, err
	}
	return c, nil
}

// find returns the first configuration file that exists, as Ansible
// searches: $ANSIBLE_CONFIG (a file or a directory holding ansible.cfg),
// ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg.
func find(env Env, cwd, home string) (string, error) {
	var candidates []string
	if p, ok := env("ANSIBLE_CONFIG"); ok && p != "" {
		p = expandHome(p, home)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "ansible.cfg")
		}
		candidates = append(candidates, p)
	}
	candidates = append(candidates,
		filepath.Join(cwd, "ansible.cfg"),
		filepath.Join(home, ".ansible.cfg"),
		systemFile)
	for _, p := range candidates {
		st, err := os.Stat(p)
		if err != nil || st.IsDir() {
			continue
		}
		return p, nil
	}
	return "", nil
}

func (c *Config) applyFile(ini map[string]map[string]iniValue, dir, home string) error {
	d := ini["defaults"]
	pe := ini["privilege_escalation"]
	var err error
	set := func(f func() error) {
		if err == nil {
			err = f()
		}
	}
	if v, ok := d["inventory"]; ok {
		c.Inventory = pathList(v.val, dir, home)
	}
	if v, ok := d["hostfile"]; ok && d["inventory"].val == "" {
		c.Inventory = pathList(v.val, dir, home)
	}
	if v, ok := d["remote_user"]; ok {
		c.RemoteUser = v.val
	}
	if v, ok := d["private_key_file"]; ok {
		c.PrivateKeyFile = resolvePath(v.val, dir, home)
	}
	if v, ok := d["host_key_checking"]; ok {
		set(func() (e error) { c.HostKeyChecking, e = v.bool(); return })
	}
	if v, ok := d["forks"]; ok {
		set(func() (e error) { c.Forks, e = v.positive(); return })
	}
	if v, ok := d["roles_path"]; ok {
		c.RolesPath = pathList(v.val, dir, home)
	}
	if v, ok := d["timeout"]; ok {
		set(func() (e error) { c.Timeout, e = v.seconds(); return })
	}
	if v, ok := d["stdout_callback"]; ok {
		c.StdoutCallback = v.val
	}
	if v, ok := d["nocolor"]; ok {
		set(func() (e error) { c.NoColor, e = v.bool(); return })
	}
	if v, ok := d["force_color"]; ok {
		set(func() (e error) { c.ForceColor, e = v.bool(); return })
	}
	if v, ok := d["vault_password_file"]; ok && v.val != "" {
		c.VaultPasswordFile = resolvePath(v.val, dir, home)
	}
	if v, ok := d["vault_identity_list"]; ok {
		c.VaultIdentityList = list(v.val)
	}
	if v, ok := d["strategy"]; ok {
		c.Strategy = v.val
	}
	if v, ok := d["ask_vault_pass"]; ok {
		set(func() (e error) { c.AskVaultPass, e = v.bool(); return })
	}
	if v, ok := pe["become"]; ok {
		set(func() (e error) { c.Become, e = v.bool(); return })
	}
	if v, ok := pe["become_user"]; ok {
		c.BecomeUser = v.val
	}
	if v, ok := pe["become_method"]; ok {
		c.BecomeMethod = v.val
	}
	if v, ok := pe["become_ask_pass"]; ok {
		set(func() (e error) { c.BecomeAskPass, e = v.bool(); return })
	}
	return err
}

func (c *Config) applyEnv(env Env, cwd, home string) error {
	str := func(name string, dst *string) {
		if v, ok := env(name); ok {
			*dst = v
		}
	}
	var err error
	boolean := func(name string, dst *bool) {
		if v, ok := env(name); ok && err == nil {
			*dst, err = iniValue{val: v, where: "environment variable " + name}.bool()
		}
	}
	if v, ok := env("ANSIBLE_INVENTORY"); ok {
		c.Inventory = pathList(v, cwd, home)
	}
	str("ANSIBLE_REMOTE_USER", &c.RemoteUser)
	if v, ok := env("ANSIBLE_PRIVATE_KEY_FILE"); ok {
		c.PrivateKeyFile = resolvePath(v, cwd, home)
	}
	boolean("ANSIBLE_HOST_KEY_CHECKING", &c.HostKeyChecking)
	if v, ok := env("ANSIBLE_FORKS"); ok && err == nil {
		c.Forks, err = iniValue{val: v, where: "environment variable ANSIBLE_FORKS"}.positive()
	}
	if v, ok := env("ANSIBLE_ROLES_PATH"); ok {
		c.RolesPath = pathList(v, cwd, home)
	}
	if v, ok := env("ANSIBLE_TIMEOUT"); ok && err == nil {
		c.Timeout, err = iniValue{val: v, where: "environment variable ANSIBLE_TIMEOUT"}.seconds()
	}
	str("ANSIBLE_STDOUT_CALLBACK", &c.StdoutCallback)
	boolean("ANSIBLE_BECOME", &c.Become)
	str("ANSIBLE_BECOME_USER", &c.BecomeUser)
	str("ANSIBLE_BECOME_METHOD", &c.BecomeMethod)
	boolean("ANSIBLE_BECOME_ASK_PASS", &c.BecomeAskPass)
	boolean("ANSIBLE_NOCOLOR", &c.NoColor)
	// NO_COLOR disables colour whatever its value, per no-color.org.
	if _, ok := env("NO_COLOR"); ok {
		c.NoColor = true
	}
	boolean("ANSIBLE_FORCE_COLOR", &c.ForceColor)
	if v, ok := env("ANSIBLE_VAULT_PASSWORD_FILE"); ok && v != "" {
		c.VaultPasswordFile = resolvePath(v, cwd, home)
	}
	if v, ok := env("ANSIBLE_VAULT_IDENTITY_LIST"); ok {
		c.VaultIdentityList = list(v)
	}
	boolean("ANSIBLE_ASK_VAULT_PASS", &c.AskVaultPass)
	str("ANSIBLE_STRATEGY", &c.Strategy)
	return err
}

// list splits Ansible's "list" type: comma-separated, entries trimmed.
func list(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// pathList splits a comma- or colon-separated list as Ansible's "pathlist"
// type does and resolves each entry against dir.
func pathList(s, dir, home string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ':' }) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		out = append(out, resolvePath(p, dir, home))
	}
	return out
}

func resolvePath(p, dir, home string) string {
	p = expandHome(p, home)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return p
}

// iniValue is a raw value and where it came from, for error messages.
type iniValue struct {
	val   string
	where string
}

func (v iniValue) bool() (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v.val)) {
	case "1", "y", "yes", "on", "true", "t":
		return true, nil
	case "0", "n", "no", "off", "false", "f", "":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q in %s: expected true/false, yes/no, on/off or 1/0", v.val, v.where)
}

func (v iniValue) positive() (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v.val))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("invalid value %q in %s: expected a positive integer", v.val, v.where)
	}
	return n, nil
}

func (v iniValue) seconds() (time.Duration, error) {
	n, err := v.positive()
	return time.Duration(n) * time.Second, err
}
