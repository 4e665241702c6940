package playbook

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// write creates files under dir from a path → content map.
func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadTasksFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"ok.yml":    "- name: one\n  debug: msg=1\n- block:\n    - ping:\n",
		"empty.yml": "",
		"bad.yml":   "- name: typo\n  debugg: msg=1\n",
	})
	role := &Role{Name: "r", Path: dir}
	tests := []struct {
		name    string
		file    string
		wantN   int
		wantErr string
	}{
		{name: "tasks and a block", file: "ok.yml", wantN: 2},
		{name: "empty file", file: "empty.yml", wantN: 0},
		{name: "unknown module", file: "bad.yml", wantErr: "couldn't resolve module/action 'debugg'"},
		{name: "missing file", file: "nope.yml", wantErr: "could not read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, err := LoadTasksFile(filepath.Join(dir, tt.file), role, testOptions())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != tt.wantN {
				t.Fatalf("got %d tasks, want %d", len(ts), tt.wantN)
			}
			for _, task := range ts {
				if task.Role != role {
					t.Errorf("task %q: Role not set", task.Name)
				}
				for _, c := range task.Block {
					if c.Role != role {
						t.Errorf("block child: Role not set")
					}
				}
			}
		})
	}
}

func TestRoleSearchOrder(t *testing.T) {
	dir := t.TempDir()
	pb := filepath.Join(dir, "pb")
	extra := filepath.Join(dir, "extra")
	mark := func(where string) string { return "- debug: msg=" + where + "\n" }
	write(t, dir, map[string]string{
		"pb/site.yml":                  "- hosts: all\n  roles: [a, b, c, d, ./local/e]\n",
		"pb/roles/a/tasks/main.yml":    mark("pb-roles"),
		"pb/roles/a/handlers/main.yml": "- name: h\n  debug: msg=h\n  listen: x\n",
		"pb/roles/a/defaults/main.yml": "v: 1\n",
		"pb/roles/a/vars/main.yml":     "w: 2\n",
		"pb/roles/a/meta/main.yml":     "allow_duplicates: yes\ngalaxy_info: {author: me}\n",
		"extra/a/tasks/main.yml":       mark("roles-path"),
		"extra/b/tasks/main.yml":       mark("roles-path"),
		"pb/b/tasks/main.yml":          mark("pb-dir"),
		"pb/c/tasks/main.yml":          mark("pb-dir"),
		"extra/d/meta/main.yml":        "dependencies: [sibling]\n",
		"extra/d/tasks/main.yml":       mark("roles-path"),
		"extra/sibling/tasks/main.yml": mark("dep-base"),
		"pb/local/e/tasks/main.yml":    mark("by-path"),
	})
	// Roles named by a path are relative to the working directory, as in Ansible.
	t.Chdir(pb)
	opts := testOptions()
	opts.RolesPath = []string{extra}
	got, err := Load(filepath.Join(pb, "site.yml"), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "pb-roles", "b": "roles-path", "c": "pb-dir", "d": "roles-path", "e": "by-path"}
	for _, ref := range got.Plays[0].Roles {
		msg := ref.Role.Tasks[0].Args["msg"]
		if msg != want[ref.Role.Name] {
			t.Errorf("role %s loaded from %v (%s), want %s", ref.Name, msg, ref.Role.Path, want[ref.Role.Name])
		}
	}
	a := got.Plays[0].Roles[0].Role
	if !a.AllowDuplicates || a.Defaults["v"] != 1 || a.Vars["w"] != 2 || len(a.Handlers) != 1 || !reflect.DeepEqual(a.Handlers[0].Listen, []string{"x"}) {
		t.Errorf("role a loaded wrong: %+v", a)
	}
	d := got.Plays[0].Roles[3].Role
	if len(d.Deps) != 1 || d.Deps[0].Role.Tasks[0].Args["msg"] != "dep-base" {
		t.Errorf("dependency of d not found beside it: %+v", d.Deps)
	}
}

func TestRoleNotFoundListsPaths(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"site.yml": "- hosts: all\n  roles:\n    - ghost\n"})
	opts := testOptions()
	opts.RolesPath = []string{"/r1", "/r2"}
	_, err := Load(filepath.Join(dir, "site.yml"), opts)
	want := "ERROR! the role 'ghost' was not found in " + filepath.Join(dir, "roles") + ":/r1:/r2:" + dir + "\n"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v\nwant prefix %q", err, want)
	}
}

func TestNilKnownModuleAcceptsAnyKey(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"site.yml": "- hosts: all\n  tasks:\n    - community.general.thing: a=1\n"})
	pb, err := Load(filepath.Join(dir, "site.yml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if task := pb.Plays[0].Tasks[0]; task.Module != "community.general.thing" || task.Args["a"] != "1" {
		t.Errorf("got %+v", task)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  Error
		want string
	}{
		{name: "no place", err: Error{Msg: "boom"}, want: "ERROR! boom\n"},
		{name: "no place with hint", err: Error{Msg: "boom", Hint: "try x"}, want: "ERROR! boom\n\nHint: try x\n"},
		{name: "place", err: Error{Msg: "bad", Pos: Pos{File: "/f.yml", Line: 2, Col: 3}, Prev: "- a:", Line: "  b: c", Hint: "did you mean 'x'?"},
			want: "ERROR! bad\n\nThe error appears to be in '/f.yml': line 2, column 3, but may\nbe elsewhere in the file depending on the exact syntax problem.\n\n" +
				"The offending line appears to be:\n\n- a:\n  b: c\n  ^ here\n\nHint: did you mean 'x'?\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestKeywordValues(t *testing.T) {
	tests := []struct {
		name    string
		play    string
		check   func(*Play) bool
		wantErr string
	}{
		{name: "become yes", play: "become: yes", check: func(p *Play) bool { return *p.Become }},
		{name: "become string True", play: "become: 'True'", check: func(p *Play) bool { return *p.Become }},
		{name: "become 0", play: "become: 0", check: func(p *Play) bool { return !*p.Become }},
		{name: "become template", play: "become: '{{ b }}'", wantErr: "does not support a templated value for the keyword 'become'"},
		{name: "gather_facts maybe", play: "gather_facts: maybe", wantErr: "The value 'maybe' is not a valid boolean"},
		{name: "serial string", play: "serial: '2'", check: func(p *Play) bool { return reflect.DeepEqual(p.Serial, []any{"2"}) }},
		{name: "serial float", play: "serial: 1.5", wantErr: "whole number or a percentage"},
		{name: "hosts list", play: "name: x", check: func(p *Play) bool { return p.Hosts == "a,b" && p.DisplayName() == "x" }},
		{name: "display name defaults to hosts", play: "tags: t", check: func(p *Play) bool { return p.DisplayName() == "a,b" }},
		{name: "tags string", play: "tags: 'a, b'", check: func(p *Play) bool { return reflect.DeepEqual(p.Tags, []string{"a", "b"}) }},
		{name: "no_log template", play: "no_log: '{{ x }}'", check: func(p *Play) bool { return p.NoLog == "{{ x }}" }},
		{name: "vars list", play: "vars: [{a: 1}, {a: 2, b: on}]", check: func(p *Play) bool {
			return reflect.DeepEqual(p.Vars, map[string]any{"a": 2, "b": true})
		}},
		{name: "vars_files alternatives", play: "vars_files: [a.yml, [b.yml, '{{ c }}.yml']]", check: func(p *Play) bool {
			return reflect.DeepEqual(p.VarsFiles, []VarsFile{{Names: []string{"a.yml"}}, {Names: []string{"b.yml", "{{ c }}.yml"}, List: true}})
		}},
		{name: "vars_files one name", play: "vars_files: a.yml", check: func(p *Play) bool {
			return reflect.DeepEqual(p.VarsFiles, []VarsFile{{Names: []string{"a.yml"}}})
		}},
		{name: "vars_files mapping", play: "vars_files: [{a: b}]", wantErr: "the field 'vars_files' should be a list of file names"},
		{name: "vars_files nested mapping", play: "vars_files: [[{a: b}]]", wantErr: "the field 'vars_files' should be a list of strings"},
		{name: "module_defaults", play: "module_defaults: {file: {state: directory}, ansible.builtin.copy: '{{ d }}'}", check: func(p *Play) bool {
			return reflect.DeepEqual(p.ModuleDefaults, []map[string]any{{"file": map[string]any{"state": "directory"}, "ansible.builtin.copy": "{{ d }}"}})
		}},
		{name: "module_defaults list", play: "module_defaults: [{file: {}}, {copy: {mode: '0600'}}]", check: func(p *Play) bool { return len(p.ModuleDefaults) == 2 }},
		{name: "module_defaults not a dict", play: "module_defaults: [file]", wantErr: "The field 'module_defaults' is supposed to be a dictionary or list of dictionaries"},
		{name: "module_defaults string", play: "module_defaults: '{{ md }}'", wantErr: "The field 'module_defaults' is supposed to be a dictionary"},
		{name: "module_defaults unknown module", play: "module_defaults: {fiel: {state: directory}}", wantErr: "Could not resolve action ansible.legacy.fiel in module_defaults"},
		{name: "module_defaults unknown fqcn", play: "module_defaults: {community.general.ufw: {}}", wantErr: "Could not resolve action community.general.ufw in module_defaults"},
		{name: "module_defaults group", play: "module_defaults: {group/aws: {region: x}}", wantErr: "does not support action groups in module_defaults yet ('group/aws')"},
		{name: "module_defaults entry not a dict", play: "module_defaults: {file: [a]}", wantErr: "the module_defaults of 'file' should be a dictionary"},
		{name: "ignore_unreachable", play: "ignore_unreachable: yes", check: func(p *Play) bool { return *p.IgnoreUnreachable }},
		{name: "ignore_unreachable bad", play: "ignore_unreachable: maybe", wantErr: "The value 'maybe' is not a valid boolean for the field 'ignore_unreachable'"},
		{name: "port unsupported", play: "port: 22", wantErr: "gossible does not support the play keyword 'port' yet"},
		{name: "order invalid", play: "order: bogus", wantErr: "invalid 'order' specified for inventory hosts: bogus"},
		{name: "max_fail_percentage bad", play: "max_fail_percentage: lots", wantErr: "should be a percentage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, map[string]string{"p.yml": "- hosts: [a, b]\n  " + tt.play + "\n"})
			pb, err := Load(filepath.Join(dir, "p.yml"), testOptions())
			if tt.wantErr != "" {
				var pe *Error
				if !errors.As(err, &pe) || !strings.Contains(pe.Msg, tt.wantErr) || pe.Pos.Line != 2 {
					t.Fatalf("err = %v, want *Error on line 2 containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(pb.Plays[0]) {
				t.Errorf("unexpected play: %+v", pb.Plays[0])
			}
		})
	}
}
