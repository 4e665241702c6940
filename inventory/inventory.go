package inventory

import (
	"fmt"
	"regexp"
	"sort"
	"sync"

	"github.com/gossible/gossible/vault"
)

// Host is one inventory host.
type Host struct {
	Name string
	// Port comes from a host:port entry; 0 when none was given. It is
	// also in Vars as ansible_port, as Ansible stores it.
	Port int
	// Vars are the host's own variables from the inventory source
	// (not group vars, not host_vars/ files).
	Vars map[string]any
	// InventoryFile and InventoryDir are the source the host was first
	// seen in (the inventory_file / inventory_dir magic variables);
	// empty for hosts from a "h1,h2," list or the implicit localhost.
	InventoryFile string
	InventoryDir  string
	// Implicit marks the localhost Ansible creates when a pattern names
	// localhost and the inventory has none: it is in no group.
	Implicit bool

	groups []*group // groups the host was added to directly
}

// Inventory is a loaded inventory. Create it with Load.
type Inventory struct {
	hosts      map[string]*Host
	hostOrder  []*Host
	groups     map[string]*group
	groupOrder []*group

	// varsDirs are group_vars/host_vars roots: inventory-adjacent ones
	// first (playbook=false), then AddVarsDir ones.
	varsDirs []*varsDir
	warnings []string
	secrets  []vault.Secret // decrypt vaulted sources, vars files and values

	mu        sync.Mutex // guards localhost and the derived caches below
	localhost *Host      // explicit localhost-like host, or the implicit one
	depth     map[*group]int
}

func newInventory() *Inventory {
	inv := &Inventory{hosts: map[string]*Host{}, groups: map[string]*group{}}
	inv.addGroup("all")
	inv.addGroup("ungrouped")
	_ = inv.addChildGroup("all", "ungrouped")
	return inv
}

func (inv *Inventory) addGroup(name string) *group {
	if g, ok := inv.groups[name]; ok {
		return g
	}
	if reBadGroupChars.MatchString(name) {
		// Ansible's default (TRANSFORM_INVALID_GROUP_CHARS=never) keeps the name
		inv.warn(invalidGroupWarning)
	}
	g := &group{name: name, vars: map[string]any{}, priority: 1}
	inv.groups[name] = g
	inv.groupOrder = append(inv.groupOrder, g)
	return g
}

// addHost adds a host (port only counts when the host is new, as in
// Ansible) and puts it in group g when g is not nil.
func (inv *Inventory) addHost(name string, g *group, port int, source string) (*Host, error) {
	if name == "" {
		return nil, fmt.Errorf("empty host name")
	}
	h, ok := inv.hosts[name]
	if !ok {
		h = &Host{Name: name, Vars: map[string]any{}}
		if port != 0 {
			h.Port = port
			h.Vars["ansible_port"] = port
		}
		if source != "" {
			h.InventoryFile = source
			h.InventoryDir = dirOf(source)
			// Ansible's add_host records them as host variables too.
			h.Vars["inventory_file"] = source
			h.Vars["inventory_dir"] = h.InventoryDir
		}
		inv.hosts[name] = h
		inv.hostOrder = append(inv.hostOrder, h)
		if isLocalhostName(name) {
			if inv.localhost == nil {
				inv.localhost = h
			} else {
				inv.warn(fmt.Sprintf("A duplicate localhost-like entry was found (%s). First found localhost was %s", name, inv.localhost.Name))
			}
		}
	}
	if g != nil {
		g.addHost(h)
	}
	return h, nil
}

// addChildGroup makes child a child of parent, refusing loops as Ansible does.
func (inv *Inventory) addChildGroup(parent, child string) error {
	p, c := inv.groups[parent], inv.groups[child]
	if p == nil {
		return fmt.Errorf("%s is not a known group", parent)
	}
	if c == nil {
		return fmt.Errorf("%s is not a known host nor group", child)
	}
	if p == c {
		return fmt.Errorf("can't add group %q to itself", parent)
	}
	for _, x := range p.children {
		if x == c {
			return nil
		}
	}
	if _, loop := p.ancestors()[c]; loop {
		return fmt.Errorf("adding group '%s' as child to '%s' creates a recursive dependency loop", child, parent)
	}
	p.children = append(p.children, c)
	c.parents = append(c.parents, p)
	return nil
}

// addChild adds a group or, failing that, a host to parent (InventoryData.add_child).
func (inv *Inventory) addChild(parent, child string) error {
	if _, ok := inv.groups[child]; ok {
		return inv.addChildGroup(parent, child)
	}
	p := inv.groups[parent]
	if p == nil {
		return fmt.Errorf("%s is not a known group", parent)
	}
	h, ok := inv.hosts[child]
	if !ok {
		return fmt.Errorf("%s is not a known host nor group", child)
	}
	p.addHost(h)
	return nil
}

// reconcile applies Ansible's reconcile_inventory: every group hangs under
// all, hosts in no group go to ungrouped, and hosts that are in a real
// group leave ungrouped.
func (inv *Inventory) reconcile() {
	all, ungrouped := inv.groups["all"], inv.groups["ungrouped"]
	for _, g := range inv.groupOrder {
		if g != all && len(g.parents) == 0 {
			_ = inv.addChildGroup("all", g.name)
		}
	}
	names := map[string]bool{}
	for _, g := range inv.groupOrder {
		names[g.name] = true
	}
	for _, h := range inv.hostOrder {
		mine := inv.hostGroups(h)
		if _, in := mine[ungrouped]; in {
			for g := range mine {
				if g != all && g != ungrouped {
					ungrouped.removeHost(h)
					break
				}
			}
		} else if len(mine) == 0 || (len(mine) == 1 && hasGroup(mine, all)) {
			ungrouped.addHost(h)
		}
		if names[h.Name] {
			inv.warn("Found both group and host with same name: " + h.Name)
		}
	}
	inv.depth = nil
}

func hasGroup(m map[*group]struct{}, g *group) bool { _, ok := m[g]; return ok }

// hostGroups is Host.get_groups: direct groups and all their ancestors.
func (inv *Inventory) hostGroups(h *Host) map[*group]struct{} {
	out := map[*group]struct{}{}
	for _, g := range h.groups {
		out[g] = struct{}{}
		for a := range g.ancestors() {
			out[a] = struct{}{}
		}
	}
	return out
}

// groupDepths gives each group its depth: the longest path from all, which
// is what Ansible's incremental depth bookkeeping converges to.
func (inv *Inventory) groupDepths() map[*group]int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.depth != nil {
		return inv.depth
	}
	d := map[*group]int{}
	var visit func(g *group, n int)
	visit = func(g *group, n int) {
		if cur, ok := d[g]; ok && cur >= n {
			return
		}
		d[g] = n
		for _, c := range g.children {
			visit(c, n+1)
		}
	}
	for _, g := range inv.groupOrder {
		if len(g.parents) == 0 {
			visit(g, 0)
		}
	}
	inv.depth = d
	return d
}

// sortedGroups orders groups as Ansible's sort_groups: depth, priority, name.
func (inv *Inventory) sortedGroups(set map[*group]struct{}) []*group {
	depth := inv.groupDepths()
	out := make([]*group, 0, len(set))
	for g := range set {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if depth[a] != depth[b] {
			return depth[a] < depth[b]
		}
		if a.priority != b.priority {
			return a.priority < b.priority
		}
		return a.name < b.name
	})
	return out
}

// reBadGroupChars is Ansible's INVALID_VARIABLE_NAMES, used on group names.
var reBadGroupChars = regexp.MustCompile(`^[\p{Nd}]|[^\p{L}\p{N}_]`)

// warn records a warning once, as Ansible's display deduplicates them.
func (inv *Inventory) warn(msg string) {
	for _, w := range inv.warnings {
		if w == msg {
			return
		}
	}
	inv.warnings = append(inv.warnings, msg)
}

// Warnings are the messages Ansible prints as [WARNING] while loading
// (skipped YAML keys, duplicate localhost, host and group of one name…).
func (inv *Inventory) Warnings() []string { return append([]string(nil), inv.warnings...) }

// Host returns a host by name. For localhost, 127.0.0.1 and ::1 it returns
// the implicit localhost when the inventory has no localhost-like host.
func (inv *Inventory) Host(name string) (*Host, bool) {
	if h, ok := inv.hosts[name]; ok {
		return h, true
	}
	if isLocalhostName(name) {
		return inv.implicitLocalhost(name), true
	}
	return nil, false
}

// Hosts returns every host in inventory order (the order of the all pattern).
func (inv *Inventory) Hosts() []*Host { return inv.groups["all"].allHosts() }

// Groups is the `groups` magic variable: every group, all and ungrouped
// included, with the names of its hosts (descendants' hosts too).
func (inv *Inventory) Groups() map[string][]string {
	out := make(map[string][]string, len(inv.groupOrder))
	for _, g := range inv.groupOrder {
		hs := g.allHosts()
		names := make([]string, len(hs))
		for i, h := range hs {
			names[i] = h.Name
		}
		out[g.name] = names
	}
	return out
}

// FromGroups builds an inventory from a `groups` variable (group name to
// host names), as Ansible's inventory_hostnames lookup does to evaluate a
// pattern: hosts are added in the order of all's list, then each group
// gets its listed hosts, in order (the names' order for the groups).
func FromGroups(order []string, groups map[string][]string) *Inventory {
	inv := newInventory()
	names := append([]string{"all"}, order...)
	for _, name := range names {
		members, ok := groups[name]
		if !ok {
			continue
		}
		g := inv.addGroup(name)
		for _, hn := range members {
			h, ok := inv.hosts[hn]
			if !ok {
				var err error
				if h, err = inv.addHost(hn, nil, 0, ""); err != nil {
					continue
				}
			}
			g.addHost(h)
		}
	}
	inv.reconcile()
	return inv
}

// GroupNames is the `group_names` magic variable: the host's groups,
// sorted, without all. As in ansible-core 2.14 it does include ungrouped
// for a host that is in no other group.
func (inv *Inventory) GroupNames(host string) []string {
	h, ok := inv.hosts[host]
	if !ok {
		return []string{}
	}
	names := []string{}
	for g := range inv.hostGroups(h) {
		if g.name != "all" {
			names = append(names, g.name)
		}
	}
	sort.Strings(names)
	return names
}

var localhostNames = map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}

func isLocalhostName(s string) bool { return localhostNames[s] }

// implicitLocalhost returns the explicit localhost-like host if there is
// one, else creates (once) the implicit one Ansible creates.
func (inv *Inventory) implicitLocalhost(name string) *Host {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.localhost == nil {
		inv.localhost = &Host{Name: name, Implicit: true, Vars: map[string]any{"ansible_connection": "local"}}
	}
	return inv.localhost
}
