package inventory

import (
	"fmt"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
)

// internalVars are the variables ansible-inventory strips from its output.
var internalVars = []string{
	"ansible_diff_mode", "ansible_config_file", "ansible_facts", "ansible_forks",
	"ansible_inventory_sources", "ansible_limit", "ansible_playbook_python",
	"ansible_run_tags", "ansible_skip_tags", "ansible_verbosity", "ansible_version",
	"inventory_dir", "inventory_file", "inventory_hostname", "inventory_hostname_short",
	"groups", "group_names", "omit", "playbook_dir",
}

// outputVars are a host's merged variables as ansible-inventory shows them,
// or the host's VarsError.
func (inv *Inventory) outputVars(host string) (map[string]any, error) {
	v, err := inv.hostVars(host)
	if err != nil {
		return nil, err
	}
	for _, k := range internalVars {
		delete(v, k)
	}
	return v, nil
}

// ListJSON returns what `ansible-inventory --list` prints (trailing newline
// included): each group's direct hosts and children in inventory order,
// empty groups left out, and _meta.hostvars with every host's merged vars.
// A host's VarsError is the error, as it is ansible-inventory's.
func (inv *Inventory) ListJSON() ([]byte, error) {
	doc := map[string]any{}
	seen := map[*group]bool{}
	var format func(g *group)
	format = func(g *group) {
		entry := map[string]any{}
		if g.name != "all" && len(g.hosts) > 0 {
			names := make([]any, len(g.hosts))
			for i, h := range g.hosts {
				names[i] = h.Name
			}
			entry["hosts"] = names
		}
		var kids []any
		for _, c := range g.children {
			kids = append(kids, c.name)
			if !seen[c] {
				format(c)
				seen[c] = true
			}
		}
		if len(kids) > 0 {
			entry["children"] = kids
		}
		if len(entry) > 0 {
			doc[g.name] = entry
		}
	}
	format(inv.groups["all"])
	hostvars := map[string]any{}
	for _, h := range inv.Hosts() {
		v, err := inv.outputVars(h.Name)
		if err != nil {
			return nil, err
		}
		if len(v) > 0 {
			hostvars[h.Name] = v
		}
	}
	doc["_meta"] = map[string]any{"hostvars": hostvars}
	return []byte(pyfmt.JSON(doc, 4) + "\n"), nil
}

// HostJSON returns what `ansible-inventory --host H` prints. Like Ansible,
// H is a host pattern that must match exactly one host; its VarsError is
// the error.
func (inv *Inventory) HostJSON(host string) ([]byte, error) {
	hosts, err := inv.Select(host)
	if err != nil {
		return nil, err
	}
	if len(hosts) != 1 {
		return nil, fmt.Errorf("you must pass a single valid host to --host parameter: %q matches %d hosts", host, len(hosts))
	}
	v, err := inv.outputVars(hosts[0].Name)
	if err != nil {
		return nil, err
	}
	return []byte(pyfmt.JSON(v, 4) + "\n"), nil
}

// Graph returns what `ansible-inventory --graph [group]` prints (trailing
// newline included); group "" means all. An unknown group gives "" (the
// CLI reports "Pattern must be valid group name when using --graph").
func (inv *Inventory) Graph(groupName string) string {
	if groupName == "" {
		groupName = "all"
	}
	g, ok := inv.groups[groupName]
	if !ok {
		return ""
	}
	var lines []string
	var walk func(g *group, depth int)
	walk = func(g *group, depth int) {
		lines = append(lines, graphName("@"+g.name+":", depth))
		for _, c := range g.children {
			walk(c, depth+1)
		}
		if g.name != "all" {
			for _, h := range g.hosts {
				lines = append(lines, graphName(h.Name, depth+1))
			}
		}
	}
	walk(g, 0)
	return strings.Join(lines, "\n") + "\n"
}

func graphName(name string, depth int) string {
	if depth == 0 {
		return name
	}
	return strings.Repeat("  |", depth) + "--" + name
}
