package inventory

import "fmt"

// group is one inventory group; the graph is kept in insertion order
// because Ansible's outputs and host order follow it.
type group struct {
	name     string
	vars     map[string]any
	hosts    []*Host
	children []*group
	parents  []*group
	priority int // ansible_group_priority, default 1
	member   map[*Host]bool
}

// addHost adds h to the group once (Group.add_host).
func (g *group) addHost(h *Host) {
	if g.member[h] {
		return
	}
	if g.member == nil {
		g.member = map[*Host]bool{}
	}
	g.member[h] = true
	g.hosts = append(g.hosts, h)
	h.groups = append(h.groups, g)
}

// removeHost takes h out of the group (reconcile does it for ungrouped).
func (g *group) removeHost(h *Host) {
	delete(g.member, h)
	for i, x := range g.hosts {
		if x == h {
			g.hosts = append(g.hosts[:i:i], g.hosts[i+1:]...)
			break
		}
	}
	for i, x := range h.groups {
		if x == g {
			h.groups = append(h.groups[:i:i], h.groups[i+1:]...)
			break
		}
	}
}

// ancestors are all groups above g.
func (g *group) ancestors() map[*group]struct{} {
	seen := map[*group]struct{}{}
	var walk func(*group)
	walk = func(x *group) {
		for _, p := range x.parents {
			if _, ok := seen[p]; !ok {
				seen[p] = struct{}{}
				walk(p)
			}
		}
	}
	walk(g)
	return seen
}

// setVar mirrors Group.set_variable: ansible_group_priority is not a
// variable but the group's sort priority.
func (g *group) setVar(key string, value any) error {
	if key == "ansible_group_priority" {
		n, err := toInt(value)
		if err != nil {
			return fmt.Errorf("ansible_group_priority for group %s: %w", g.name, err)
		}
		g.priority = n
		return nil
	}
	g.vars[key] = value
	return nil
}

// allHosts is Group.get_hosts: the group's hosts then its descendants'
// hosts, breadth first, without duplicates; all leaves out implicit hosts.
func (g *group) allHosts() []*Host {
	var out []*Host
	seen := map[*Host]bool{}
	for _, k := range g.descendants() {
		for _, h := range k.hosts {
			if seen[h] {
				continue
			}
			seen[h] = true
			if g.name == "all" && h.Implicit {
				continue
			}
			out = append(out, h)
		}
	}
	return out
}

// descendants returns g then its descendants level by level. Ansible walks
// deeper levels through a Python set, so its order there is not defined;
// we keep insertion order, which is what it yields in the common cases.
func (g *group) descendants() []*group {
	ordered := []*group{g}
	seen := map[*group]bool{g: true}
	level := []*group{g}
	for len(level) > 0 {
		var next []*group
		for _, x := range level {
			for _, c := range x.children {
				if !seen[c] {
					seen[c] = true
					ordered = append(ordered, c)
					next = append(next, c)
				}
			}
		}
		level = next
	}
	return ordered
}
