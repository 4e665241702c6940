package inventory

import (
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
)

// The run changes the inventory through these methods (add_host and
// group_by), as Ansible's in-memory inventory does. They are not safe
// concurrently with reads: the caller serializes them (the executor holds
// its state lock around them and around its workers' reads). A host's Vars
// map is replaced, never changed in place, since variable layers already
// handed out stay in use.

// invalidGroupWarning is what Ansible says of a group name that is not a
// valid variable name (it keeps the name).
const invalidGroupWarning = "Invalid characters were found in group names but not replaced, use -vvvv to see details"

// SplitHostPort is add_host's reading of a name: host:port (or [v6]:port)
// gives the port; a name that is not an address is kept whole, port 0.
func SplitHostPort(name string) (string, int) {
	h, port, err := parseAddress(name, false)
	if err != nil || port < 0 {
		return name, 0
	}
	return h, port
}

// GroupOrder lists the groups in the order they were created (the order
// of the `groups` variable).
func (inv *Inventory) GroupOrder() []string {
	out := make([]string, len(inv.groupOrder))
	for i, g := range inv.groupOrder {
		out[i] = g.name
	}
	return out
}

// Change is what one add_host or group_by did to the inventory.
type Change struct {
	Changed bool
	// Created: the host was new.
	Created bool
	// Warning is a message to show (an invalid group name), or "".
	Warning string
	// Affected are the hosts whose groups or variables may have changed.
	Affected []string
}

// ensureGroup returns the named group, creating it under all.
func (inv *Inventory) ensureGroup(name string, c *Change) (*group, error) {
	if name == "" {
		return nil, fmt.Errorf("Invalid empty/false group name provided: %s", name)
	}
	if g, ok := inv.groups[name]; ok {
		return g, nil
	}
	if reBadGroupChars.MatchString(name) {
		c.Warning = invalidGroupWarning
	}
	g := inv.addGroup(name)
	_ = inv.addChildGroup("all", name)
	inv.loadVars("group_vars", name)
	c.Changed = true
	return g, nil
}

// AddHost adds the host (a new one goes straight into all, with no
// inventory file), puts it in the groups (created under all when new) and
// sets its variables, as add_host does; Changed says whether any of it
// was new. Afterwards the groups are reconciled (ungrouped).
func (inv *Inventory) AddHost(name string, groups []string, vars map[string]any) (Change, error) {
	var c Change
	if name == "" {
		return c, fmt.Errorf("Invalid empty host name provided: %s", name)
	}
	h, ok := inv.hosts[name]
	if !ok {
		h = &Host{Name: name, Vars: map[string]any{"inventory_file": nil, "inventory_dir": nil}}
		inv.hosts[name] = h
		inv.hostOrder = append(inv.hostOrder, h)
		inv.groups["all"].addHost(h)
		inv.loadVars("host_vars", name)
		c.Changed, c.Created = true, true
	}
	for _, gn := range groups {
		g, err := inv.ensureGroup(gn, &c)
		if err != nil {
			return c, err
		}
		if _, in := inv.hostGroups(h)[g]; !in {
			g.addHost(h)
			c.Changed = true
		}
	}
	var nv map[string]any
	for k, v := range vars {
		if old, ok := h.Vars[k]; ok && reflect.DeepEqual(old, v) {
			continue
		}
		if nv == nil {
			nv = maps.Clone(h.Vars)
			if nv == nil {
				nv = map[string]any{}
			}
		}
		nv[k] = v
	}
	if nv != nil {
		h.Vars = nv
		c.Changed = true
	}
	inv.reconcile()
	c.Affected = []string{name}
	return c, nil
}

// GroupBy puts the host in the group, creating it, and makes the group a
// child of each parent (created too), as group_by does.
func (inv *Inventory) GroupBy(host, name string, parents []string) (Change, error) {
	var c Change
	h, ok := inv.hosts[host]
	if !ok {
		return c, fmt.Errorf("%s is not a known host", host)
	}
	g, err := inv.ensureGroup(name, &c)
	if err != nil {
		return c, err
	}
	linked := false
	for _, pn := range parents {
		p, err := inv.ensureGroup(pn, &c)
		if err != nil {
			return c, err
		}
		if p == g || isChild(p, g) {
			continue
		}
		if err := inv.addChildGroup(pn, name); err != nil {
			return c, err
		}
		c.Changed, linked = true, true
	}
	if _, in := inv.hostGroups(h)[g]; !in {
		g.addHost(h)
		c.Changed = true
	}
	inv.reconcile()
	c.Affected = []string{host}
	if linked {
		for _, x := range g.allHosts() {
			if x != h {
				c.Affected = append(c.Affected, x.Name)
			}
		}
	}
	return c, nil
}

func isChild(p, c *group) bool {
	for _, x := range p.children {
		if x == c {
			return true
		}
	}
	return false
}

// loadVars reads the group_vars (group) or host_vars files of a group or
// host the run created, beside each inventory source and playbook, as
// Ansible's vars plugin does for any name when it needs the variables.
func (inv *Inventory) loadVars(kind, name string) {
	inv.mu.Lock()
	dirs := append([]*varsDir(nil), inv.varsDirs...)
	inv.mu.Unlock()
	for _, d := range dirs {
		vars, errs := d.groups, d.groupErrs
		if kind == "host_vars" {
			vars, errs = d.hosts, d.hostErrs
		}
		if _, ok := vars[name]; ok {
			continue
		}
		v, err := entityVars(filepath.Join(d.root, kind), name, inv.secrets)
		switch {
		case err != nil:
			errs[name] = err
		case v != nil:
			vars[name] = v
		}
	}
}
