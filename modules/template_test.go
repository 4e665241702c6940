package modules

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gossible/gossible/template"
)

// templateVars are the variables both sides render with (ansible gets them as -e).
var templateVars = map[string]any{
	"port":  8500,
	"names": []any{"a", "b"},
	"dc":    "dc1",
}

func templateFixture(t *testing.T, dir string) {
	mustWrite(t, filepath.Join(dir, "templates/conf.j2"),
		"# {{ ansible_managed }}\n# from {{ template_path | basename }} on {{ template_host | length > 0 }}\ndc = {{ dc }}\nport = {{ port }}\n{% for n in names %}\nname {{ n }}\n{% endfor %}\n")
	mustWrite(t, filepath.Join(dir, "templates/blocks.j2"), "start\n  {% if true %}\n  inside\n  {% endif %}\nend\n")
	mustWrite(t, filepath.Join(dir, "templates/undef.j2"), "x = {{ nosuchvar }}\n")
	mustWrite(t, filepath.Join(dir, "templates/nonl.j2"), "no newline {{ dc }}")
	mustWrite(t, filepath.Join(dir, "templates/esc.j2"), `{{ "a\tb" }}|{{ "x.y" | regex_replace("\.", "-") }}|{{ 'c\\d' }}|{{ "q\"" }}`+"\n")
	mustWrite(t, filepath.Join(dir, "templates/syntax.j2"), "a\n{% if %}\nb\n")
	mustWrite(t, filepath.Join(dir, "templates/filter.j2"), "{{ dc | nosuchfilter }}\n")
	if err := os.Chmod(filepath.Join(dir, "templates/nonl.j2"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// templateEnv is testEnv with Env.Render wired the way the executor wires it.
func templateEnv(t *testing.T) *Env {
	env := testEnv(t)
	eng := template.New()
	scope := template.NewScope(map[string]any{"inventory_hostname": "localhost"}, templateVars)
	env.Render = func(text string, o RenderOptions) (string, error) {
		return eng.RenderFile(text, scope, template.FileOptions{TrimBlocks: o.TrimBlocks, LstripBlocks: o.LstripBlocks, Vars: o.Vars})
	}
	return env
}

func TestTemplateDifferential(t *testing.T) {
	extra, _ := json.Marshal(templateVars)
	vol := []string{"src"}
	cases := []diffCase{
		{name: "render twice, check, diff", setup: templateFixture, steps: []step{
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/consul.hcl", "mode": "0640"}, drop: vol},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/consul.hcl", "mode": "0640"}},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/consul.hcl"}, check: true, diff: true},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/new"}, check: true, diff: true},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/consul.hcl", "force": "no"}, drop: vol},
		}},
		{name: "block options and newlines", setup: templateFixture, steps: []step{
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/b1"}, drop: vol},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/b2", "trim_blocks": false}, drop: vol},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/b3", "lstrip_blocks": "yes"}, drop: vol},
			{args: map[string]any{"src": "@/templates/blocks.j2", "dest": "@/out/b4", "newline_sequence": "\r\n"}, drop: vol},
			{args: map[string]any{"src": "@/templates/nonl.j2", "dest": "@/out/", "mode": "preserve"}, drop: vol},
			{args: map[string]any{"src": "@/templates/esc.j2", "dest": "@/out/esc"}, drop: vol},
		}},
		{name: "backup and validate", setup: templateFixture, steps: []step{
			{args: map[string]any{"src": "@/templates/nonl.j2", "dest": "@/out/v"}, drop: vol},
			// stderr: copy's failed-validate path also runs its stat helper ("gst: not
			// found"), a copy bug reported to its owner
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/v", "validate": "grep -q nomatch %s"}, drop: []string{"stderr", "stderr_lines"}},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/v", "validate": "grep -q port %s", "backup": true}, drop: []string{"src", "backup_file"}},
		}},
		{name: "errors", setup: templateFixture, steps: []step{
			{args: map[string]any{"src": "@/templates/conf.j2"}},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/x", "state": "present"}},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/x", "newline_sequence": "x"}},
			{args: map[string]any{"src": "@/templates/undef.j2", "dest": "@/out/x"}},
			// the engine words Jinja2's syntax errors its own way (gonja's parser)
			{args: map[string]any{"src": "@/templates/syntax.j2", "dest": "@/out/x"}, drop: []string{"msg"}},
			{args: map[string]any{"src": "@/templates/filter.j2", "dest": "@/out/x"}},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/nodir/x"}},
			{args: map[string]any{"src": "@/templates/conf.j2", "dest": "@/out/x", "bogus": 1}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ad, gd := t.TempDir(), t.TempDir()
			tc.setup(t, ad)
			tc.setup(t, gd)
			for i, s := range tc.steps {
				flags := []string{"-e", string(extra)}
				if s.check {
					flags = append(flags, "--check")
				}
				if s.diff {
					flags = append(flags, "--diff")
				}
				want := ansible(t, "template", sub(s.args, ad), flags...)
				env := templateEnv(t)
				env.Check, env.Diff = s.check, s.diff
				got := runMod(t, env, "template", sub(s.args, gd))
				drop := append([]string{}, s.drop...)
				if !s.diff {
					drop = append(drop, "diff")
				}
				label := tc.name + " step " + strconv.Itoa(i+1)
				diffResults(t, label, normalize(want, ad, drop...), normalize(got, gd, drop...))
			}
			// the files on disk are the same too
			filepath.WalkDir(filepath.Join(ad, "out"), func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || strings.Contains(p, "~") {
					return nil
				}
				rel, _ := filepath.Rel(ad, p)
				w, _ := os.ReadFile(p)
				g, gerr := os.ReadFile(filepath.Join(gd, rel))
				if gerr != nil || strings.ReplaceAll(string(w), ad, "@") != strings.ReplaceAll(string(g), gd, "@") {
					t.Errorf("%s: ansible wrote %q, gossible %q (%v)", rel, w, g, gerr)
				}
				return nil
			})
		})
	}
}

// TestTemplateRole renders a role's template found through Env.FindFile and checks that
// the second run changes nothing (no ansible needed).
func TestTemplateRole(t *testing.T) {
	role := t.TempDir()
	mustWrite(t, filepath.Join(role, "templates/consul.json.j2"), "{\"datacenter\": \"{{ dc }}\", \"ports\": {{ names | to_json }}}\n")
	env := templateEnv(t)
	env.FindFile = func(kind, name string) (string, error) {
		p := filepath.Join(role, kind, name)
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
		return p, nil
	}
	dest := filepath.Join(t.TempDir(), "consul.json")
	for round, want := range []bool{true, false} {
		r := runMod(t, env, "template", map[string]any{"src": "consul.json.j2", "dest": dest, "mode": "0644"})
		if r["changed"] != want || r["failed"] == true {
			t.Fatalf("round %d: %v", round+1, r)
		}
	}
	b, _ := os.ReadFile(dest)
	if string(b) != "{\"datacenter\": \"dc1\", \"ports\": [\"a\", \"b\"]}\n" {
		t.Errorf("rendered %q", b)
	}
	r := runMod(t, env, "template", map[string]any{"src": "missing.j2", "dest": dest})
	if r["failed"] != true {
		t.Errorf("missing template: %v", r)
	}
	r = runMod(t, env, "template", map[string]any{"src": "consul.json.j2", "dest": dest, "variable_start_string": "[["})
	if r["failed"] != true || !strings.Contains(r["msg"].(string), "variable_start_string") {
		t.Errorf("unsupported option: %v", r)
	}
}
