package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/gossible/gossible/vault"
)

// ignoredEntry matches directory entries Ansible skips when a directory is
// an inventory source: hidden files, group_vars, host_vars, vars_plugins
// and INVENTORY_IGNORE_EXTS (which includes .ini and .cfg).
var ignoredEntry = regexp.MustCompile(`^\.|^host_vars$|^group_vars$|^vars_plugins$|` +
	`(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$`)

// Load builds an inventory from sources, in order, as ansible -i does:
//   - a file is tried as YAML (extension .yml, .yaml, .json or none) and
//     then as INI; inventory scripts and plugin configs are refused;
//   - a directory contributes every entry, sorted, recursively, except
//     hidden files, group_vars/, host_vars/ and Ansible's ignored
//     extensions (.ini, .cfg, .retry, ~, .md, .txt, …);
//   - a source with a comma that is not an existing path is a host list
//     ("h1,h2," or "h1,").
//
// group_vars/ and host_vars/ beside each source (the file's directory, or
// the directory itself) are loaded; a vars file that cannot be read is not
// a Load error but the VarsError of the hosts it is for (Ansible reads it
// when a play needs their variables). When a source cannot be parsed, Load
// still returns the inventory of the others, with an error that is, or
// joins, *ParseError values (use errors.As).
func Load(sources []string) (*Inventory, error) {
	return LoadWith(sources, LoadOptions{})
}

// LoadOptions are what loading may need beyond the sources.
type LoadOptions struct {
	// Secrets decrypt vaulted inventory files, group_vars/host_vars files
	// and !vault values; without them vaulted data is an error.
	Secrets []vault.Secret
}

// LoadWith is Load with options. The secrets are kept for AddVarsDir.
func LoadWith(sources []string, opts LoadOptions) (*Inventory, error) {
	inv := newInventory()
	inv.secrets = opts.Secrets
	var errs []error
	for _, src := range sources {
		if src == "" {
			continue
		}
		if err := inv.parseSource(src); err != nil {
			errs = append(errs, err)
		}
	}
	inv.reconcile()
	for _, src := range sources {
		dir, ok := varsRoot(src)
		if !ok {
			continue
		}
		inv.varsDirs = append(inv.varsDirs, inv.loadVarsDir(dir, false))
	}
	return inv, errors.Join(errs...)
}

// varsRoot is where group_vars/host_vars of a source live.
func varsRoot(src string) (string, bool) {
	if src == "" || isHostList(src) {
		return "", false
	}
	p := expandPath(src)
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return p, true
	}
	return filepath.Dir(p), true
}

func isHostList(src string) bool {
	if !strings.Contains(src, ",") {
		return false
	}
	_, err := os.Stat(src)
	return err != nil
}

// expandPath is unfrackpath without following links: ~ and $VARS expanded,
// made absolute and clean.
func expandPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = home + p[1:]
		}
	}
	p = os.ExpandEnv(p)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

func dirOf(p string) string { return filepath.Dir(p) }

func (inv *Inventory) parseSource(src string) error {
	if isHostList(src) {
		return inv.parseHostList(src)
	}
	abs := src
	if !strings.Contains(src, ",") {
		abs = expandPath(src)
	}
	return inv.parsePath(src, abs)
}

// parseHostList is the host_list plugin: "h1,h2:2222,[::1]:22," into ungrouped.
func (inv *Inventory) parseHostList(src string) error {
	for _, h := range strings.Split(src, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		host, port, err := parseAddress(h, false)
		if err != nil {
			host, port = h, 0
		}
		if port < 0 {
			return &ParseError{File: src, Plugin: "host_list", Msg: fmt.Sprintf("port out of range in %q", h)}
		}
		if _, ok := inv.hosts[host]; ok {
			continue
		}
		nh, err := inv.addHost(host, inv.groups["ungrouped"], port, "")
		if err != nil {
			return &ParseError{File: src, Plugin: "host_list", Msg: err.Error()}
		}
		// Ansible's host variables for a host list: the list's text, and
		// no directory (its basedir of a non-path is None).
		nh.Vars["inventory_file"] = src
		nh.Vars["inventory_dir"] = nil
	}
	return nil
}

// parsePath parses a file or directory source; disp is the path as the
// user wrote it (for messages), abs the unfracked path (inventory_file).
func (inv *Inventory) parsePath(disp, abs string) error {
	fi, err := os.Stat(abs)
	if err != nil {
		msg := "no such file or directory"
		if !errors.Is(err, os.ErrNotExist) {
			msg = err.Error()
		}
		return &ParseError{File: disp, Plugin: "source", Msg: "unable to parse as an inventory source: " + msg,
			Hint: "check the -i/--inventory path or the inventory setting in ansible.cfg"}
	}
	if fi.IsDir() {
		ents, err := os.ReadDir(abs)
		if err != nil {
			return &ParseError{File: disp, Plugin: "source", Msg: err.Error()}
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		var errs []error
		for _, n := range names {
			if ignoredEntry.MatchString(n) {
				continue
			}
			if err := inv.parsePath(filepath.Join(disp, n), filepath.Join(abs, n)); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return &ParseError{File: disp, Plugin: "source", Msg: err.Error()}
	}
	return inv.parseFile(disp, abs, data)
}

// parseFile tries the plugins in Ansible's order (script, yaml, ini) and
// reports the most telling failure when none accepts the file.
func (inv *Inventory) parseFile(disp, abs string, data []byte) error {
	if pe := inv.tryPlugins(disp, abs, data); pe != nil {
		return withText(pe, data)
	}
	return nil
}

func (inv *Inventory) tryPlugins(disp, abs string, data []byte) *ParseError {
	if bytes.HasPrefix(data, []byte("#!")) {
		return &ParseError{File: disp, Line: 1, Plugin: "source", Msg: "inventory scripts are not supported",
			Text: firstLine(data), Hint: "run the script once and save its output as a YAML or INI inventory"}
	}
	if vault.IsEncrypted(data) {
		// Ansible's loader decrypts any inventory file before the plugins
		// see it.
		pt, err := vault.DecryptFile(disp, data, inv.secrets)
		if err != nil {
			return vaultSourceError(disp, abs, err)
		}
		data = pt
	}
	ext := filepath.Ext(abs)
	var yamlErr *ParseError
	if ext == "" || ext == ".yml" || ext == ".yaml" || ext == ".json" {
		err := parseYAMLInventory(inv, abs, data)
		if err == nil {
			return nil
		}
		yamlErr = asParseError(err, disp, "yaml")
		if le, ok := err.(*lineError); ok && !le.notThisFmt {
			// the file is YAML inventory with a mistake in it: INI is tried
			// (as Ansible does) but the YAML error is the one to show
			iniErr := parseINI(inv, abs, data)
			if iniErr == nil {
				return nil
			}
			yamlErr.Tried = append(yamlErr.Tried, asParseError(iniErr, disp, "ini"))
			return yamlErr
		}
	}
	iniErr := parseINI(inv, abs, data)
	if iniErr == nil {
		return nil
	}
	pe := asParseError(iniErr, disp, "ini")
	if yamlErr == nil {
		return pe
	}
	if ext != "" {
		// a .yml/.yaml/.json file: the YAML failure is what the user wants to see
		yamlErr.Tried = append(yamlErr.Tried, pe)
		return yamlErr
	}
	pe.Tried = append(pe.Tried, yamlErr)
	return pe
}

// withText fills in the offending line when the parser gave only its number.
func withText(pe *ParseError, data []byte) *ParseError {
	if pe.Text == "" && pe.Line > 0 {
		if lines := pySplitLines(string(data)); pe.Line <= len(lines) {
			pe.Text = strings.TrimSpace(lines[pe.Line-1])
		}
	}
	for _, o := range pe.Tried {
		withText(o, data)
	}
	return pe
}

func asParseError(err error, file, plugin string) *ParseError {
	var le *lineError
	if errors.As(err, &le) {
		return le.toParseError(file, plugin)
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return &ParseError{File: file, Plugin: plugin, Msg: err.Error()}
}

func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.TrimSpace(string(line))
}

// vaultSourceError is a vaulted source that could not be decrypted, reported
// as Ansible does: each plugin that would read the file fails with the
// vault's message (a wrong password names the file), so the user sees that
// the password is the problem, not the file's format.
func vaultSourceError(disp, abs string, err error) *ParseError {
	msg := err.Error() // "Decryption failed (...) on FILE"
	if errors.Is(err, vault.ErrNoSecrets) {
		msg = vault.ErrNoSecrets.Error()
	}
	var plugins []string
	switch filepath.Ext(abs) {
	case ".yml", ".yaml":
		plugins = []string{"auto", "yaml", "ini"}
	case "", ".json":
		plugins = []string{"yaml", "ini"}
	default:
		plugins = []string{"ini"}
	}
	n := len(plugins) - 1
	pe := &ParseError{File: disp, Plugin: plugins[n], Msg: msg, Verbatim: true}
	for _, p := range plugins[:n] {
		pe.Tried = append(pe.Tried, &ParseError{File: disp, Plugin: p, Msg: msg, Verbatim: true})
	}
	return pe
}
