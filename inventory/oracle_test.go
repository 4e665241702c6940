package inventory

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ansible runs an ansible command with an empty config in an empty
// directory (ansible-inventory loads group_vars/ from its working dir).
type ansible struct {
	t      *testing.T
	dir    string
	python string
}

func newAnsible(t *testing.T) *ansible {
	t.Helper()
	bin, err := exec.LookPath("ansible-inventory")
	if err != nil {
		t.Skip("needs ansible-inventory (apt-get install ansible) for the differential test: ", err)
	}
	// the oracle imports ansible, so use the interpreter ansible runs on
	// (PATH may lead to another python, e.g. a pyenv shim)
	py := "python3"
	if data, err := os.ReadFile(bin); err == nil && bytes.HasPrefix(data, []byte("#!")) {
		line, _, _ := bytes.Cut(data[2:], []byte("\n"))
		if f := strings.Fields(string(line)); len(f) == 1 {
			py = f[0]
		}
	}
	if err := exec.Command(py, "-c", "import ansible.cli.inventory").Run(); err != nil {
		t.Skip("needs "+py+" with ansible-core importable for the differential test: ", err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ansible.cfg")
	if err := os.WriteFile(cfg, []byte("[defaults]\nlocalhost_warning = False\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &ansible{t: t, dir: dir, python: py}
}

func (a *ansible) run(stdin []byte, name string, args ...string) string {
	a.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = a.dir
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+filepath.Join(a.dir, "ansible.cfg"),
		"ANSIBLE_LOCAL_TEMP="+filepath.Join(a.dir, "tmp"), "ANSIBLE_NOCOLOR=1", "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		a.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// oracleRequest is one case as testdata/oracle.py takes it.
type oracleRequest struct {
	Name     string   `json:"name"`
	Sources  []string `json:"sources"`
	Playbook string   `json:"playbook,omitempty"`
	Patterns []string `json:"patterns"`
	Graphs   []string `json:"graphs"`
	Hosts    []string `json:"hosts"`
	AllHosts bool     `json:"all_hosts"`
}

// oracleOutputs asks ansible-core, in one Python process, every question
// of every case (testdata/oracle.py). Without allHosts (the everyday run)
// it skips the most redundant ones: --host beyond a case's first host and
// the all graph of cases without graph lines.
func oracleOutputs(t *testing.T, a *ansible, cases []*testCase, allHosts bool) map[string]map[string]string {
	t.Helper()
	var req []oracleRequest
	for _, c := range cases {
		r := oracleRequest{Name: c.name, Patterns: c.patterns, Graphs: c.graphs, Hosts: c.hosts, AllHosts: allHosts}
		for _, s := range c.sources {
			r.Sources = append(r.Sources, c.sourcePath(s, true))
		}
		if c.playbook != "" {
			r.Playbook, _ = filepath.Abs(filepath.Join(c.dir, c.playbook))
		}
		req = append(req, r)
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("testdata/oracle.py")
	var resp map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a.run(body, a.python, script)), &resp); err != nil {
		t.Fatalf("oracle output: %v", err)
	}
	out := map[string]map[string]string{}
	for _, c := range cases {
		r, ok := resp[c.name]
		if !ok {
			t.Fatalf("oracle gave nothing for case %s", c.name)
		}
		if e, bad := r["error"]; bad {
			t.Fatalf("ansible failed on case %s: %s", c.name, e)
		}
		files := map[string]string{}
		var groups, groupNames map[string][]string
		var patterns map[string][]string
		for k, v := range r {
			var err error
			switch k {
			case "groups":
				err = json.Unmarshal(v, &groups)
			case "group_names":
				err = json.Unmarshal(v, &groupNames)
			case "patterns":
				err = json.Unmarshal(v, &patterns)
			default:
				var text string
				err = json.Unmarshal(v, &text)
				files[k] = text
			}
			if err != nil {
				t.Fatalf("oracle output for %s/%s: %v", c.name, k, err)
			}
		}
		if len(c.patterns) > 0 {
			var b strings.Builder
			for _, p := range c.patterns {
				b.WriteString(c.patternBlock(p, patterns[p]))
			}
			files["patterns.txt"] = b.String()
		}
		files["magic.json"] = c.magicJSON(t, groups, groupNames)
		out[c.name] = files
	}
	return out
}

// TestOracle is the differential test: every case against the installed
// ansible-core. With -update it rewrites the want/ goldens.
func TestOracle(t *testing.T) {
	a := newAnsible(t)
	cases := loadCases(t)
	all := oracleOutputs(t, a, cases, *update)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := all[c.name]
			if *update {
				dir := filepath.Join(c.dir, "want")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				old, _ := filepath.Glob(filepath.Join(dir, "*"))
				for _, f := range old {
					os.Remove(f)
				}
				for k, v := range want {
					if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := c.outputs(t)
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s differs from ansible-core:\n%s", k, diffLines(w, got[k]))
				}
			}
		})
	}
}

// TestOracleCLI checks the in-process oracle against the real
// ansible-inventory command once, on the chapter's inventory.
func TestOracleCLI(t *testing.T) {
	a := newAnsible(t)
	src, _ := filepath.Abs("testdata/cases/chapter/serv-disc")
	want := a.run(nil, "ansible-inventory", "-i", src, "--list")
	inv, err := Load([]string{src})
	if err != nil {
		t.Fatal(err)
	}
	got, err := inv.ListJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("ansible-inventory --list differs:\n%s", diffLines(want, string(got)))
	}
}
