package inventory

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/pyfmt"
)

// Each directory under testdata/cases is one inventory with a case.conf:
//
//	source PATH      inventory source (relative to the case dir), or a host list
//	playbook DIR     a playbook dir whose group_vars/host_vars are added
//	pattern PATTERN  a host pattern to select (order compared)
//	unordered PATTERN  the same, compared as a set: Ansible walks groups
//	                 below the second level through a Python set, so its
//	                 order there changes from run to run
//	graph GROUP      a group to graph (the all graph is always checked)
//	host NAME        a host to print with --host
//
// want/ holds the outputs of ansible-core 2.14 for them, written by
// `go test ./inventory -run TestOracle -update` (needs ansible installed).
var update = flag.Bool("update", false, "rewrite testdata/cases/*/want from ansible-inventory")

type testCase struct {
	name, dir string
	sources   []string
	playbook  string
	patterns  []string
	unordered map[string]bool
	graphs    []string
	hosts     []string
}

func loadCases(t *testing.T) []*testCase {
	t.Helper()
	dirs, err := filepath.Glob("testdata/cases/*/case.conf")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no test cases found: %v", err)
	}
	var out []*testCase
	for _, conf := range dirs {
		c := &testCase{dir: filepath.Dir(conf), name: filepath.Base(filepath.Dir(conf))}
		f, err := os.Open(conf)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || line[0] == '#' {
				continue
			}
			key, val, _ := strings.Cut(line, " ")
			switch key {
			case "source":
				c.sources = append(c.sources, val)
			case "playbook":
				c.playbook = val
			case "pattern":
				c.patterns = append(c.patterns, val)
			case "unordered":
				c.patterns = append(c.patterns, val)
				if c.unordered == nil {
					c.unordered = map[string]bool{}
				}
				c.unordered[val] = true
			case "graph":
				c.graphs = append(c.graphs, val)
			case "host":
				c.hosts = append(c.hosts, val)
			default:
				t.Fatalf("%s: unknown key %q", conf, key)
			}
		}
		f.Close()
		out = append(out, c)
	}
	return out
}

// sourcePath resolves a case source for our loader (relative is fine) or,
// with abs, for ansible run from another directory.
func (c *testCase) sourcePath(src string, abs bool) string {
	p := filepath.Join(c.dir, src)
	if strings.Contains(src, ",") {
		if _, err := os.Stat(p); err != nil {
			return src // a host list
		}
	}
	if abs {
		a, _ := filepath.Abs(p)
		return a
	}
	return p
}

// outputs computes what gossible prints for every question of the case,
// keyed like the files in want/.
func (c *testCase) outputs(t *testing.T) map[string]string {
	t.Helper()
	var srcs []string
	for _, s := range c.sources {
		srcs = append(srcs, c.sourcePath(s, false))
	}
	inv, err := Load(srcs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.playbook != "" {
		inv.AddVarsDir(filepath.Join(c.dir, c.playbook))
	}
	out := map[string]string{}
	list, err := inv.ListJSON()
	if err != nil {
		t.Fatalf("ListJSON: %v", err)
	}
	out["list.json"] = string(list)
	out["graph.txt"] = inv.Graph("")
	for _, g := range c.graphs {
		out["graph-"+g+".txt"] = inv.Graph(g)
	}
	if len(c.patterns) > 0 {
		var b strings.Builder
		for _, p := range c.patterns {
			hs, err := inv.Select(p)
			if err != nil {
				t.Fatalf("Select(%q): %v", p, err)
			}
			names := make([]string, len(hs))
			for i, h := range hs {
				names[i] = h.Name
			}
			b.WriteString(c.patternBlock(p, names))
		}
		out["patterns.txt"] = b.String()
	}
	groupNames := map[string][]string{}
	for _, h := range inv.Hosts() {
		groupNames[h.Name] = inv.GroupNames(h.Name)
	}
	out["magic.json"] = c.magicJSON(t, inv.Groups(), groupNames)
	for _, h := range c.hosts {
		js, err := inv.HostJSON(h)
		if err != nil {
			t.Fatalf("HostJSON(%q): %v", h, err)
		}
		out["host-"+fileSafe(h)+".json"] = string(js)
	}
	return out
}

// magicJSON renders the groups and group_names magic variables; host
// lists are sorted where the case says Ansible's order is not defined.
func (c *testCase) magicJSON(t *testing.T, groups, groupNames map[string][]string) string {
	t.Helper()
	g := map[string]any{}
	for k, v := range groups {
		if len(c.unordered) > 0 {
			v = append([]string(nil), v...)
			sort.Strings(v)
		}
		g[k] = v
	}
	gn := map[string]any{}
	for k, v := range groupNames {
		gn[k] = v
	}
	return pyfmt.JSON(map[string]any{"groups": g, "group_names": gn}, 4) + "\n"
}

// patternBlock formats one pattern's hosts for patterns.txt.
func (c *testCase) patternBlock(p string, names []string) string {
	if c.unordered[p] {
		names = append([]string(nil), names...)
		sort.Strings(names)
	}
	var b strings.Builder
	b.WriteString("pattern " + p + "\n")
	for _, n := range names {
		b.WriteString("  " + n + "\n")
	}
	return b.String()
}

func fileSafe(s string) string { return strings.NewReplacer(":", "_", "/", "_").Replace(s) }

// TestGoldens compares every case with the recorded ansible-inventory output.
func TestGoldens(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			got := c.outputs(t)
			keys := make([]string, 0, len(got))
			for k := range got {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				want, err := os.ReadFile(filepath.Join(c.dir, "want", k))
				if err != nil {
					t.Errorf("%s: no golden (run with -update where ansible is installed): %v", k, err)
					continue
				}
				if got[k] != string(want) {
					t.Errorf("%s differs from ansible-core 2.14:\n%s", k, diffLines(string(want), got[k]))
				}
			}
		})
	}
}

// diffLines shows the first differing lines, enough to see what is wrong.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("  line " + strconv.Itoa(i+1) + "\n    want: " + wl + "\n    got:  " + gl + "\n")
			if shown++; shown >= 8 {
				break
			}
		}
	}
	return b.String()
}
