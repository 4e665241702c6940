package inventory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/internal/yamlvars"
	"github.com/gossible/gossible/vault"
)

// varsDir holds the group_vars/ and host_vars/ found under one directory
// (beside an inventory source, or beside the playbook via AddVarsDir).
type varsDir struct {
	root     string
	playbook bool
	groups   map[string]map[string]any
	hosts    map[string]map[string]any
	// groupErrs and hostErrs are the vars files of a group or host that
	// could not be read (a wrong vault password, a syntax error). Ansible's
	// vars plugin reads them when a play first needs the host's
	// variables, so they are kept for VarsError rather than failing Load.
	groupErrs map[string]error
	hostErrs  map[string]error
}

var varsExts = []string{".yml", ".yaml", ".json"}

// loadVarsDir reads the vars of every known group and host (and of the
// localhost names, for the implicit localhost) under root. A file that
// cannot be read is recorded against its group or host.
func (inv *Inventory) loadVarsDir(root string, playbook bool) *varsDir {
	d := &varsDir{root: root, playbook: playbook,
		groups: map[string]map[string]any{}, hosts: map[string]map[string]any{},
		groupErrs: map[string]error{}, hostErrs: map[string]error{}}
	for _, g := range inv.groupOrder {
		v, err := entityVars(filepath.Join(root, "group_vars"), g.name, inv.secrets)
		switch {
		case err != nil:
			d.groupErrs[g.name] = err
		case v != nil:
			d.groups[g.name] = v
		}
	}
	names := make([]string, 0, len(inv.hostOrder)+3)
	for _, h := range inv.hostOrder {
		names = append(names, h.Name)
	}
	for n := range localhostNames {
		if _, ok := inv.hosts[n]; !ok {
			names = append(names, n)
		}
	}
	for _, n := range names {
		v, err := entityVars(filepath.Join(root, "host_vars"), n, inv.secrets)
		switch {
		case err != nil:
			d.hostErrs[n] = err
		case v != nil:
			d.hosts[n] = v
		}
	}
	return d
}

// entityVars merges the vars files for one group or host name in dir, as
// host_group_vars does: the first of name, name.yml, name.yaml, name.json
// that exists; a directory contributes its files in sorted order.
func entityVars(dir, name string, secrets []vault.Secret) (map[string]any, error) {
	if strings.HasPrefix(name, string(os.PathSeparator)) {
		return nil, nil // "chroot"-style host names are skipped by Ansible
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil
	}
	var files []string
	for _, ext := range append([]string{""}, varsExts...) {
		p := filepath.Join(dir, name+ext)
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			fs, err := dirVarsFiles(p)
			if err != nil {
				return nil, err
			}
			files = fs
		} else {
			files = []string{p}
		}
		break
	}
	var out map[string]any
	var order []string // keys in file order, for output in Ansible's order
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, &ParseError{File: f, Plugin: "vars", Msg: fmt.Sprintf("cannot read: %v", errors.Unwrap(err))}
		}
		if vault.IsEncrypted(data) {
			pt, err := vault.DecryptFile(f, data, secrets)
			if err != nil {
				return nil, vaultVarsError(f, err)
			}
			data = pt
		}
		v, err := loadVarsData(data, secrets)
		if err != nil {
			var le *lineError
			if errors.As(err, &le) {
				return nil, withText(le.toParseError(f, "vars"), data)
			}
			return nil, &ParseError{File: f, Plugin: "vars", Msg: err.Error()}
		}
		if v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, &ParseError{File: f, Plugin: "vars", Msg: fmt.Sprintf("failed to combine variables, expected dicts but got a '%s'", yamlvars.TypeName(v)),
				Hint: "a vars file holds a mapping of variable names to values"}
		}
		if len(m) == 0 {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		for _, k := range keyorder.Keys(m) {
			if _, seen := out[k]; !seen {
				order = append(order, k)
			}
			out[k] = m[k]
		}
	}
	keyorder.Record(out, order)
	return out, nil
}

// vaultVarsError is a vaulted vars file that could not be decrypted, in
// Ansible's words: "Decryption failed (...) on FILE", or without a
// password "Attempting to decrypt but no vault secrets found".
func vaultVarsError(file string, err error) *ParseError {
	msg := err.Error()
	if errors.Is(err, vault.ErrNoSecrets) {
		msg = vault.ErrNoSecrets.Error()
	}
	return &ParseError{File: file, Line: 1, Plugin: "vars", Msg: msg, Verbatim: true}
}

// dirVarsFiles lists a vars directory recursively in sorted order, skipping
// hidden files, backups and files with other extensions.
func dirVarsFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, &ParseError{File: dir, Plugin: "vars", Msg: fmt.Sprintf("cannot read directory: %v", errors.Unwrap(err))}
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, ".") || strings.HasSuffix(n, "~") {
			continue
		}
		p := filepath.Join(dir, n)
		ext := filepath.Ext(n)
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		switch {
		case fi.IsDir() && ext == "":
			more, err := dirVarsFiles(p)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		case fi.Mode().IsRegular() && (ext == "" || contains(varsExts, ext)):
			out = append(out, p)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// AddVarsDir loads group_vars/ and host_vars/ beside a playbook. They take
// precedence over the inventory's own group_vars/host_vars (Ansible's
// "playbook group_vars" and "playbook host_vars"). Dirs added later win.
// Files that cannot be read are reported by VarsError.
func (inv *Inventory) AddVarsDir(dir string) {
	d := inv.loadVarsDir(dir, true)
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.varsDirs = append(inv.varsDirs, d)
}

// VarLayers returns the host's variable layers from lowest to highest
// precedence, in Ansible's order:
//
//	inventory-file vars of all; of the host's other groups by depth,
//	ansible_group_priority and name; inventory group_vars/all; playbook
//	group_vars/all; inventory group_vars/<group>; playbook
//	group_vars/<group>; the host's inventory-file vars; inventory
//	host_vars/<host>; playbook host_vars/<host>.
//
// Layers merge by replacing top-level keys (Ansible's hash_behaviour=replace).
// Empty layers are left out, and so are vars files that could not be
// read (see VarsError). An unknown host gives nil.
func (inv *Inventory) VarLayers(host string) []map[string]any {
	layers, _ := inv.varLayers(host)
	return layers
}

// VarsError is the error of the host's first group_vars/host_vars file,
// in the order Ansible reads them (VarLayers' order), that could not be
// read: a *ParseError, whose message for a vault failure is Ansible's
// own. nil when every file was read (or the host is unknown). Ansible
// reports it when a play first gathers the host's variables, and
// ansible-inventory when it shows them.
func (inv *Inventory) VarsError(host string) error {
	inv.mu.Lock()
	failed := false
	for _, d := range inv.varsDirs {
		failed = failed || len(d.groupErrs) > 0 || len(d.hostErrs) > 0
	}
	inv.mu.Unlock()
	if !failed {
		return nil
	}
	_, err := inv.varLayers(host)
	return err
}

// varLayers is VarLayers and VarsError in one walk.
func (inv *Inventory) varLayers(host string) ([]map[string]any, error) {
	h, ok := inv.Host(host)
	if !ok {
		return nil, nil
	}
	var groups []*group
	if !h.Implicit {
		set := inv.hostGroups(h)
		delete(set, inv.groups["all"])
		groups = inv.sortedGroups(set)
	}
	inv.mu.Lock()
	dirs := append([]*varsDir(nil), inv.varsDirs...)
	inv.mu.Unlock()
	var layers []map[string]any
	var first error
	add := func(m map[string]any) {
		if len(m) > 0 {
			layers = append(layers, m)
		}
	}
	fromFile := func(m map[string]any, err error) {
		if err != nil && first == nil {
			first = err
		}
		add(m)
	}
	add(inv.groups["all"].vars)
	for _, g := range groups {
		add(g.vars)
	}
	for _, pb := range []bool{false, true} {
		for _, d := range dirs {
			if d.playbook == pb {
				fromFile(d.groups["all"], d.groupErrs["all"])
			}
		}
	}
	for _, pb := range []bool{false, true} {
		for _, d := range dirs {
			if d.playbook != pb {
				continue
			}
			for _, g := range groups {
				fromFile(d.groups[g.name], d.groupErrs[g.name])
			}
		}
	}
	add(h.Vars)
	for _, pb := range []bool{false, true} {
		for _, d := range dirs {
			if d.playbook == pb {
				fromFile(d.hosts[h.Name], d.hostErrs[h.Name])
			}
		}
	}
	return layers, first
}

// hostVars merges VarLayers: the variables ansible-inventory shows for a
// host, or the VarsError that stops it showing them.
func (inv *Inventory) hostVars(host string) (map[string]any, error) {
	layers, err := inv.varLayers(host)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, l := range layers {
		for k, v := range l {
			out[k] = v
		}
	}
	return out, nil
}
