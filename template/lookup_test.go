package template

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestPasswordLookupCreatesThenReuses(t *testing.T) {
	dir := t.TempDir()
	e := New()
	s := NewScope(map[string]any{"playbook_dir": dir})
	tests := []struct {
		name, term string
		re         string
	}{
		{name: "default length and chars", term: "creds/default", re: `^[A-Za-z0-9.,:\-_]{20}$`},
		{name: "length and digits", term: "creds/digits length=8 chars=digits", re: `^[0-9]{8}$`},
		{name: "comma literal chars", term: "creds/commas length=6 chars=,,", re: `^,{6}$`},
		{name: "absolute path", term: filepath.Join(dir, "abs/pw") + " length=5 chars=ascii_lowercase", re: `^[a-z]{5}$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first, err := e.RenderString("{{ lookup('password', '"+tc.term+"') }}", s)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tc.re).MatchString(first) {
				t.Fatalf("password %q does not match %s", first, tc.re)
			}
			p := strings.Fields(tc.term)[0]
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatalf("password file not created: %v", err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("password file mode %o, want 600", fi.Mode().Perm())
			}
			data, _ := os.ReadFile(p)
			if string(data) != first+"\n" {
				t.Errorf("file holds %q, want %q", data, first+"\n")
			}
			again, err := e.RenderString("{{ lookup('password', '"+tc.term+"') }}", s)
			if err != nil || again != first {
				t.Errorf("second lookup = %q, %v; want the stored %q", again, err, first)
			}
		})
	}
}

// Forks rendering the same password lookup must all see one password.
func TestPasswordLookupConcurrent(t *testing.T) {
	dir := t.TempDir()
	e := New()
	s := NewScope(map[string]any{"playbook_dir": dir})
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = e.RenderString("{{ lookup('password', 'shared') }}", s)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g == "" || g != got[0] {
			t.Fatalf("passwords differ: %q", got)
		}
	}
}

func TestPasswordLookupUnsupported(t *testing.T) {
	e := New()
	s := NewScope(map[string]any{"playbook_dir": t.TempDir()})
	for _, opt := range []string{"encrypt=sha512_crypt", "seed=x"} {
		t.Run(opt, func(t *testing.T) {
			_, err := e.RenderString("{{ lookup('password', 'pw "+opt+"') }}", s)
			if err == nil || !strings.Contains(err.Error(), "not supported by gossible") {
				t.Fatalf("got %v, want an explicit unsupported error", err)
			}
		})
	}
}

// Engine.Lookup is what with_<lookup> loops run.
func TestEngineLookupLoops(t *testing.T) {
	e := New()
	s := NewScope(map[string]any{
		"users": []any{map[string]any{"name": "a", "keys": []any{1, 2}}},
		"d":     map[string]any{"x": 1},
		"list":  []any{"p", []any{"q", "r"}},
		"groups": map[string]any{
			"all": []any{"w1", "w2", "d1"}, "ungrouped": []any{},
			"web": []any{"w1", "w2"}, "db": []any{"d1"},
		},
	})
	tests := []struct {
		name   string
		lookup string
		loop   any
		kwargs map[string]any
		want   []any
		err    string
	}{
		{name: "with_items flattens", lookup: "items", loop: "{{ list }}", want: []any{"p", "q", "r"}},
		{name: "with_items string", lookup: "items", loop: "one", want: []any{"one"}},
		{name: "with_list keeps", lookup: "list", loop: []any{"a", []any{"b"}}, want: []any{"a", []any{"b"}}},
		{name: "with_dict", lookup: "dict", loop: "{{ d }}", want: []any{map[string]any{"key": "x", "value": 1}}},
		{name: "with_sequence", lookup: "sequence", loop: "start=1 end=2", want: []any{"1", "2"}},
		{name: "with_subelements", lookup: "subelements", loop: []any{"{{ users }}", "keys"},
			want: []any{[]any{map[string]any{"name": "a"}, 1}, []any{map[string]any{"name": "a"}, 2}}},
		{name: "with_nested", lookup: "nested", loop: []any{[]any{1}, []any{"x", "y"}}, want: []any{[]any{1, "x"}, []any{1, "y"}}},
		{name: "single result stays a list", lookup: "pipe", loop: "echo hi", want: []any{"hi"}},
		{name: "errors ignore gives empty", lookup: "pipe", loop: "false", kwargs: map[string]any{"errors": "ignore"}, want: []any{}},
		{name: "inventory_hostnames exclusion", lookup: "inventory_hostnames", loop: "web:!w2", want: []any{"w1"}},
		{name: "inventory_hostnames list is a union", lookup: "inventory_hostnames", loop: []any{"db", "w2"}, want: []any{"d1", "w2"}},
		{name: "inventory_hostnames all", lookup: "inventory_hostnames", loop: "all", want: []any{"w1", "w2", "d1"}},
		{name: "unknown lookup", lookup: "nosuch", loop: "x", err: "lookup plugin (nosuch) not found"},
		{name: "failing lookup", lookup: "dict", loop: "x", err: "with_dict expects a dict"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			terms, err := e.LoopTerms(tc.loop, s)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.Lookup(tc.lookup, terms, tc.kwargs, s)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, %v; want error %q", got, err, tc.err)
				}
				var le *LookupError
				if _, ok := err.(*LookupError); !ok {
					t.Errorf("error is %T, want %T", err, le)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestRenderFileOptions(t *testing.T) {
	e := New()
	s := NewScope(map[string]any{"x": "v"})
	src := "a\n  {% if true %}\n{{ x }}\n  {% endif %}\nb\n"
	tests := []struct {
		name string
		opt  FileOptions
		want string
	}{
		{name: "ansible defaults", opt: FileOptions{TrimBlocks: true}, want: "a\n  v\n  b\n"},
		{name: "lstrip too", opt: FileOptions{TrimBlocks: true, LstripBlocks: true}, want: "a\nv\nb\n"},
		{name: "no trim", opt: FileOptions{}, want: "a\n  \nv\n  \nb\n"},
		{name: "extra vars win", opt: FileOptions{TrimBlocks: true, Vars: map[string]any{"x": "w"}}, want: "a\n  w\n  b\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.RenderFile(src, s, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAnsibleTemplateVars(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.j2")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := AnsibleTemplateVars("t.j2", p, "/etc/t", "{file} on {host} %Y")
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if want := "t.j2 on " + host + " "; !strings.HasPrefix(v["ansible_managed"].(string), want) {
		t.Errorf("ansible_managed = %q, want prefix %q", v["ansible_managed"], want)
	}
	if v["template_path"] != "t.j2" || v["template_fullpath"] != p || v["template_destpath"] != "/etc/t" || v["template_host"] != host {
		t.Errorf("vars = %#v", v)
	}
	if _, err := AnsibleTemplateVars("missing.j2", filepath.Join(dir, "missing.j2"), "", ""); err == nil {
		t.Error("missing template: want an error")
	}
}

func TestLookupNamesAndUnsupported(t *testing.T) {
	names := strings.Join(LookupNames(), " ")
	for _, want := range []string{"file", "env", "pipe", "vars", "items", "first_found", "fileglob", "lines", "template",
		"password", "list", "dict", "indexed_items", "sequence", "nested", "together", "subelements"} {
		if !strings.Contains(" "+names+" ", " "+want+" ") {
			t.Errorf("lookup %s missing from %s", want, names)
		}
	}
	_, err := New().Lookup("ansible.builtin.url", []any{"http://127.0.0.1/"}, map[string]any{"errors": "ignore"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not supported by gossible") {
		t.Fatalf("url lookup: got %v, want an unsupported error even with errors=ignore", err)
	}
}

// TestLoopLookupErrorUnwrapped checks a with_<name> loop shows a plugin's
// error as Ansible's task executor does, without the Templar's frame that
// lookup() adds.
func TestLoopLookupErrorUnwrapped(t *testing.T) {
	e := New()
	s := NewScope(map[string]any{"users": []any{map[string]any{"name": "b"}}})
	terms := []any{[]any{map[string]any{"name": "b"}}, "keys"}
	_, err := e.Lookup("subelements", terms, nil, s)
	if want := "could not find 'keys' key in iterated item '{'name': 'b'}'"; err == nil || err.Error() != want {
		t.Errorf("loop error = %v, want %q", err, want)
	}
	_, err = e.Render("{{ lookup('subelements', users, 'keys') }}", s)
	if err == nil || !strings.Contains(err.Error(), "An unhandled exception occurred while running the lookup plugin 'subelements'") {
		t.Errorf("lookup() error = %v, want the Templar's frame", err)
	}
}
