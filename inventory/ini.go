package inventory

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	reSection   = regexp.MustCompile(`^\[([^:\]\s]+)(?::([\p{L}\p{N}_]+))?\]\s*(?:#.*)?$`)
	reGroupName = regexp.MustCompile(`^([^:\]\s]+)\s*(?:#.*)?$`)
)

// pending is a group named before it was declared ([g:vars] or a child in
// [p:children]); the INI plugin requires a later declaration.
type pending struct {
	line    int
	state   string
	name    string
	parents []string
}

// parseINI reads an INI inventory into inv as the ini plugin does.
func parseINI(inv *Inventory, path string, data []byte) error {
	groupName, state := "ungrouped", "hosts"
	pend := map[string]*pending{}
	var pendOrder []string
	addPending := func(p *pending) {
		pend[p.name] = p
		pendOrder = append(pendOrder, p.name)
	}
	for i, raw := range pySplitLines(string(data)) {
		lineNo := i + 1
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if m := reSection.FindStringSubmatch(line); m != nil {
			groupName, state = m[1], m[2]
			if state == "" {
				state = "hosts"
			}
			if state != "hosts" && state != "children" && state != "vars" {
				return errAt(lineNo, line, "a section is [group], [group:vars] or [group:children]",
					"section [%s:%s] has unknown type: %s", groupName, state, state)
			}
			if _, ok := inv.groups[groupName]; !ok {
				if _, isPending := pend[groupName]; state == "vars" && !isPending {
					addPending(&pending{line: lineNo, state: state, name: groupName})
				}
				inv.addGroup(groupName)
			}
			if p, ok := pend[groupName]; ok && state != "vars" {
				if p.state == "children" {
					if err := inv.addPendingChildren(groupName, pend); err != nil {
						return errAt(lineNo, line, "", "%v", err)
					}
				} else {
					delete(pend, groupName)
				}
			}
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			return errAt(lineNo, line, "a section header has no spaces or other invalid characters, e.g. [webservers] or [webservers:vars]",
				"invalid section entry")
		}
		var err *lineError
		switch state {
		case "hosts":
			err = inv.iniHostLine(path, groupName, lineNo, line)
		case "vars":
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return errAt(lineNo, line, "lines in a [group:vars] section are name=value", "expected key=value, got: %s", line)
			}
			if e := inv.groups[groupName].setVar(strings.TrimSpace(k), iniValue(strings.TrimSpace(v))); e != nil {
				return errAt(lineNo, line, "", "%v", e)
			}
		case "children":
			m := reGroupName.FindStringSubmatch(line)
			if m == nil {
				return errAt(lineNo, line, "lines in a [group:children] section are group names", "expected group name, got: %s", line)
			}
			child := m[1]
			if _, ok := inv.groups[child]; ok {
				if e := inv.addChildGroup(groupName, child); e != nil {
					return errAt(lineNo, line, "", "%v", e)
				}
			} else if p, ok := pend[child]; ok {
				p.parents = append(p.parents, groupName)
			} else {
				addPending(&pending{line: lineNo, state: "children", name: child, parents: []string{groupName}})
			}
		}
		if err != nil {
			return err
		}
	}
	// only the first unresolved reference is reported, as Ansible does
	for _, name := range pendOrder {
		p, ok := pend[name]
		if !ok || p.name != name {
			continue
		}
		if p.state == "vars" {
			return errAt(p.line, "", fmt.Sprintf("declare the group with a [%s] or [%s:children] section, or add hosts to it", name, name),
				"section [%s:vars] not valid for undefined group: %s", name, name)
		}
		parent := p.parents[len(p.parents)-1]
		return errAt(p.line, "", fmt.Sprintf("declare the group with a [%s] section (it may be empty)", name),
			"section [%s:children] includes undefined group: %s", parent, name)
	}
	return nil
}

// addPendingChildren attaches a now-declared group to the parents that
// named it early, following chains of groups that were pending too.
func (inv *Inventory) addPendingChildren(name string, pend map[string]*pending) error {
	for _, parent := range pend[name].parents {
		if err := inv.addChildGroup(parent, name); err != nil {
			return err
		}
		if p, ok := pend[parent]; ok && p.state == "children" {
			if err := inv.addPendingChildren(parent, pend); err != nil {
				return err
			}
		}
	}
	delete(pend, name)
	return nil
}

// iniHostLine handles "pattern key=value…" in a [group] section.
func (inv *Inventory) iniHostLine(path, groupName string, lineNo int, line string) *lineError {
	tokens, err := shlexSplit(line)
	if err != nil {
		return errAt(lineNo, line, "close the quote, or escape it with a backslash", "error parsing host definition: %v", err)
	}
	if len(tokens) == 0 {
		return errAt(lineNo, line, "", "empty host definition")
	}
	pattern := tokens[0]
	names, port, err := expandHostPattern(pattern)
	if err != nil {
		var re *rangeError
		if errors.As(err, &re) {
			return errAt(lineNo, line, re.hint, "%s", re.msg)
		}
		return errAt(lineNo, line, "", "%v", err)
	}
	if strings.HasSuffix(strings.TrimSpace(pattern), ":") && port == 0 {
		return errAt(lineNo, line, "write host:port with a port number, or drop the colon",
			"invalid host pattern '%s' supplied, ending in ':' is not allowed, this character is reserved to provide a port", pattern)
	}
	for _, n := range names {
		if strings.TrimSpace(n) == "---" {
			return errAt(lineNo, line, "a file starting with --- is YAML; give it a .yml extension",
				"invalid host pattern '%s' supplied, '---' is normally a sign this is a YAML file", pattern)
		}
	}
	type kv struct {
		k string
		v any
	}
	var vars []kv
	for _, t := range tokens[1:] {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return errAt(lineNo, line, "host variables are name=value after the host name; quote values with spaces: name=\"a b\"",
				"expected key=value host variable assignment, got: %s", t)
		}
		vars = append(vars, kv{k, iniValue(v)})
	}
	g := inv.groups[groupName]
	for _, n := range names {
		h, err := inv.addHost(n, g, port, path)
		if err != nil {
			return errAt(lineNo, line, "", "%v", err)
		}
		for _, x := range vars {
			h.Vars[x.k] = x.v
		}
	}
	return nil
}

// pySplitLines splits like Python's str.splitlines.
func pySplitLines(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\r':
			out = append(out, string(rs[start:i]))
			if i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			start = i + 1
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, string(rs[start:i]))
			start = i + 1
		}
	}
	if start < len(rs) {
		out = append(out, string(rs[start:]))
	}
	return out
}
