package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// splitPattern is split_host_pattern: commas separate patterns; without a
// comma a colon does too, unless the whole thing is an address, a host
// range or host:port.
func splitPattern(pattern string) []string {
	var parts []string
	if strings.Contains(pattern, ",") {
		parts = strings.Split(pattern, ",")
	} else if _, _, err := parseAddress(pattern, true); err == nil {
		parts = []string{pattern}
	} else {
		parts = reColonParts.FindAllString(pattern, -1)
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var (
	reColonParts = regexp.MustCompile(`(?:[^\s:\[\]]|\[[^\]]*\])+`)
	reSubscript  = regexp.MustCompile(`^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$`)
)

// orderPatterns puts plain patterns first, then &intersections, then
// !exclusions; with no plain pattern, all is implied.
func orderPatterns(ps []string) []string {
	var reg, and, not []string
	for _, p := range ps {
		switch p[0] {
		case '!':
			not = append(not, p)
		case '&':
			and = append(and, p)
		default:
			reg = append(reg, p)
		}
	}
	if len(reg) == 0 {
		reg = []string{"all"}
	}
	return append(append(reg, and...), not...)
}

// Select returns the hosts matching an Ansible host pattern, in Ansible's
// order: "all" or "*", names, globs (web*), ~regex, a:b and a,b (union),
// a:&b (intersection), a:!b (exclusion), group[0], group[-1], group[1:2],
// group[1:]. Naming localhost when the inventory has none gives the
// implicit localhost. A part that matches nothing is skipped (Ansible warns
// "Could not match supplied host pattern"; see UnmatchedPatterns). Errors
// are an invalid regex or a subscript past the end of the group.
func (inv *Inventory) Select(pattern string) ([]*Host, error) {
	var hosts []*Host
	for _, p := range orderPatterns(splitPattern(pattern)) {
		if h, ok := inv.hosts[p]; ok {
			hosts = append(hosts, h)
			continue
		}
		that, err := inv.matchOne(p)
		if err != nil {
			return nil, err
		}
		switch p[0] {
		case '!':
			drop := hostSet(that)
			hosts = filterHosts(hosts, func(h *Host) bool { return !drop[h] })
		case '&':
			keep := hostSet(that)
			hosts = filterHosts(hosts, func(h *Host) bool { return keep[h] })
		default:
			have := map[string]bool{}
			for _, h := range hosts {
				have[h.Name] = true
			}
			for _, h := range that {
				if !have[h.Name] {
					hosts = append(hosts, h)
				}
			}
		}
	}
	// deduplicate_list
	seen := map[*Host]bool{}
	out := make([]*Host, 0, len(hosts))
	for _, h := range hosts {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out, nil
}

// UnmatchedPatterns lists the parts of pattern that match no host or
// group, for which Ansible prints "[WARNING]: Could not match supplied
// host pattern, ignoring: X".
func (inv *Inventory) UnmatchedPatterns(pattern string) []string {
	var out []string
	for _, p := range splitPattern(pattern) {
		if _, ok := inv.hosts[p]; ok {
			continue
		}
		expr := strings.TrimLeft(p[:1], "&!") + p[1:]
		if expr == "" || expr == "all" {
			continue
		}
		base, _ := splitSubscript(expr)
		groups, err := matchNames(inv.groupNames(), base)
		if err != nil || len(groups) > 0 {
			continue
		}
		if hs, err := inv.enumerate(base); err == nil && len(hs) > 0 {
			continue
		}
		out = append(out, expr)
	}
	return out
}

func hostSet(hs []*Host) map[*Host]bool {
	m := make(map[*Host]bool, len(hs))
	for _, h := range hs {
		m[h] = true
	}
	return m
}

func filterHosts(hs []*Host, keep func(*Host) bool) []*Host {
	var out []*Host
	for _, h := range hs {
		if keep(h) {
			out = append(out, h)
		}
	}
	return out
}

type subscript struct {
	start, end int
	isRange    bool
}

func splitSubscript(p string) (string, *subscript) {
	if p[0] == '~' {
		return p, nil
	}
	m := reSubscript.FindStringSubmatch(p)
	if m == nil {
		return p, nil
	}
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		return m[1], &subscript{start: n}
	}
	start, _ := strconv.Atoi(m[3])
	end := -1
	if m[5] != "" {
		end, _ = strconv.Atoi(m[5])
	}
	return m[1], &subscript{start: start, end: end, isRange: true}
}

// matchOne is _match_one_pattern: the hosts of one pattern (without its
// & or ! prefix), with an optional [subscript] applied.
func (inv *Inventory) matchOne(p string) ([]*Host, error) {
	if p[0] == '&' || p[0] == '!' {
		p = p[1:]
	}
	if p == "" {
		return nil, nil
	}
	expr, sub := splitSubscript(p)
	hosts, err := inv.enumerate(expr)
	if err != nil {
		return nil, err
	}
	if len(hosts) == 0 || sub == nil {
		return hosts, nil
	}
	n := len(hosts)
	if sub.isRange && sub.end != 0 {
		end := sub.end
		if end == -1 {
			end = n - 1
		}
		start, stop := pyIndex(sub.start, n), pyIndex(end+1, n)
		if start >= stop {
			return nil, nil
		}
		return hosts[start:stop], nil
	}
	i := sub.start
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("no hosts matched the subscripted pattern '%s'", p)
	}
	return []*Host{hosts[i]}, nil
}

// pyIndex clamps a slice bound the way Python slicing does.
func pyIndex(i, n int) int {
	if i < 0 {
		i += n
		if i < 0 {
			i = 0
		}
	}
	if i > n {
		i = n
	}
	return i
}

// enumerate is _enumerate_matches: hosts of matching groups, plus matching
// hosts when no group matched or the pattern is a glob or regex.
func (inv *Inventory) enumerate(p string) ([]*Host, error) {
	var out []*Host
	groups, err := matchNames(inv.groupNames(), p)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		out = append(out, inv.groups[g].allHosts()...)
	}
	if len(groups) == 0 || p[0] == '~' || strings.ContainsAny(p, ".?*[") {
		names := make([]string, len(inv.hostOrder))
		for i, h := range inv.hostOrder {
			names[i] = h.Name
		}
		hosts, err := matchNames(names, p)
		if err != nil {
			return nil, err
		}
		for _, n := range hosts {
			out = append(out, inv.hosts[n])
		}
	}
	if len(out) == 0 && isLocalhostName(p) {
		out = append(out, inv.implicitLocalhost(p))
	}
	return out, nil
}

func (inv *Inventory) groupNames() []string {
	names := make([]string, len(inv.groupOrder))
	for i, g := range inv.groupOrder {
		names[i] = g.name
	}
	return names
}

// matchNames is _match_list: fnmatch for plain patterns, re.match (anchored
// at the start only) for ~regex. The regex dialect is Go's RE2, which
// lacks lookarounds and backreferences.
func matchNames(items []string, p string) ([]string, error) {
	var re *regexp.Regexp
	var err error
	if p[0] == '~' {
		re, err = regexp.Compile(`^(?:` + p[1:] + `)`)
	} else {
		re, err = regexp.Compile(globToRegexp(p))
	}
	if err != nil {
		return nil, fmt.Errorf("invalid host list pattern: %s", p)
	}
	var out []string
	for _, it := range items {
		if re.MatchString(it) {
			out = append(out, it)
		}
	}
	return out, nil
}

// globToRegexp is Python's fnmatch.translate (case-sensitive, whole string).
func globToRegexp(p string) string {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		case '[':
			j := i + 1
			if j < len(rs) && rs[j] == '!' {
				j++
			}
			if j < len(rs) && rs[j] == ']' {
				j++
			}
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				b.WriteString(`\[`)
				continue
			}
			stuff := string(rs[i+1 : j])
			i = j
			neg := strings.HasPrefix(stuff, "!")
			if neg {
				stuff = stuff[1:]
			}
			stuff = strings.ReplaceAll(stuff, `\`, `\\`)
			b.WriteString("[")
			if neg {
				b.WriteString("^")
			} else if strings.HasPrefix(stuff, "^") {
				b.WriteString(`\`)
			}
			b.WriteString(stuff)
			b.WriteString("]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`$`)
	return b.String()
}
