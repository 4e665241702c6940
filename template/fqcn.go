package template

import (
	"strings"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Ansible's own filters and tests can be named by their FQCN (x | ansible.builtin.combine,
// x is ansible.builtin.version(...)); Jinja2's built-ins cannot (ansible.builtin.map is
// "Could not load"). These are the names ansible-core 2.14 ships.
var (
	ansibleFilters = setOf(`b64decode b64encode basename bool checksum combinations combine
		comment dict2items difference dirname expanduser expandvars extract fileglob flatten
		from_json from_yaml from_yaml_all hash human_readable human_to_bytes intersect
		items2dict log mandatory md5 password_hash path_join permutations pow product quote
		random realpath regex_escape regex_findall regex_replace regex_search rekey_on_member
		relpath root sha1 shuffle split splitext strftime subelements symmetric_difference
		ternary to_datetime to_json to_nice_json to_nice_yaml to_uuid to_yaml type_debug union
		unique unvault urldecode urlsplit vault win_basename win_dirname win_splitdrive zip
		zip_longest`)
	ansibleTests = setOf(`abs all any change changed contains directory exists failed failure
		falsy file finished is_abs is_dir is_file is_link is_mount is_same_file isnan issubset
		issuperset link link_exists match mount nan reachable regex same_file search skip
		skipped started subset succeeded success successful superset truthy unreachable uri url
		urn vault_encrypted version version_compare`)
)

func setOf(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}

// stripFQCN rewrites `| ansible.builtin.X` and `is ansible.builtin.X` (or ansible.legacy)
// to the short name when X is one of Ansible's filters or tests that this engine has.
// Other dotted names are left for scan to reject with their full name.
func stripFQCN(src string, cfg *config.Config, filters *exec.FilterSet, tests *exec.TestSet) string {
	if !strings.Contains(src, "ansible.") {
		return src
	}
	stream := tokens.LexAll(src, cfg)
	var toks []*tokens.Token
	for !stream.End() {
		toks = append(toks, stream.Next())
	}
	if stream.IsError() {
		return src // scan reports it
	}
	var b strings.Builder
	last := 0
	for i := 1; i+4 < len(toks); i++ {
		name, ok := dottedAt(toks, i)
		if !ok {
			continue
		}
		short := toks[i+4].Val
		known := false
		switch {
		case toks[i-1].Type == tokens.Pipe:
			known = ansibleFilters[short] && filters.Exists(short)
		case isTestPosition(toks, i):
			known = ansibleTests[short] && tests.Exists(short)
		}
		if !known || !(strings.HasPrefix(name, "ansible.builtin.") || strings.HasPrefix(name, "ansible.legacy.")) {
			continue
		}
		b.WriteString(src[last:toks[i].Pos])
		last = toks[i+4].Pos
		i += 4
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

// dottedAt returns the name a.b.c spelled by toks[i..i+4], if they spell one.
func dottedAt(toks []*tokens.Token, i int) (string, bool) {
	if i+4 >= len(toks) {
		return "", false
	}
	t := toks[i : i+5]
	if t[0].Type != tokens.Name || t[1].Type != tokens.Dot || t[2].Type != tokens.Name ||
		t[3].Type != tokens.Dot || t[4].Type != tokens.Name {
		return "", false
	}
	// the dots must touch the names: "a . b" is attribute access, not a plugin name
	if t[1].Pos != t[0].Pos+len(t[0].Val) || t[2].Pos != t[1].Pos+1 || t[3].Pos != t[2].Pos+len(t[2].Val) || t[4].Pos != t[3].Pos+1 {
		return "", false
	}
	return t[0].Val + "." + t[2].Val + "." + t[4].Val, true
}

// isTestPosition reports whether toks[i] follows `is` or `is not`.
func isTestPosition(toks []*tokens.Token, i int) bool {
	p := toks[i-1]
	return p.Type == tokens.Is || (p.Type == tokens.Not && i >= 2 && toks[i-2].Type == tokens.Is)
}
