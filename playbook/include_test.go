package playbook

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadInclusions(t *testing.T) {
	pb, err := Load("testdata/include/play.yml", testOptions())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if len(pb.Plays) != 2 {
		t.Fatalf("got %d plays, want 2 (the import_playbook spliced in)", len(pb.Plays))
	}
	tasks := pb.Plays[0].Tasks
	tests := []struct {
		name  string
		check func() string
	}{
		{name: "import_tasks is a block of the file's tasks", check: func() string {
			imp := tasks[0]
			if !imp.IsBlock() || imp.Imported != "import_tasks" || len(imp.Block) != 2 {
				return "not expanded to a 2-task block"
			}
			if !reflect.DeepEqual(imp.Tags, []string{"imp"}) || len(imp.When) != 1 {
				return "tags/when of the import lost"
			}
			if !strings.HasSuffix(imp.Block[1].Pos.File, filepath.Join("tasks", "one.yml")) || imp.Block[1].Pos.Line != 3 {
				return "imported task position " + imp.Block[1].Pos.String()
			}
			return ""
		}},
		{name: "import_role with tasks_from", check: func() string {
			imp := tasks[1]
			if imp.RoleInclude == nil || imp.RoleInclude.Role.Name != "r" || imp.Imported != "import_role" {
				return "role not resolved"
			}
			if len(imp.Block) != 1 || imp.Block[0].Name != "alt" {
				return "tasks_from not used"
			}
			return ""
		}},
		{name: "include_role with vars_from and handlers_from", check: func() string {
			inc := tasks[2]
			if inc.IsBlock() || inc.RoleInclude == nil || !inc.Public {
				return "include_role not kept dynamic with its role"
			}
			r := inc.RoleInclude.Role
			if r.Vars["rv"] != "alt" || len(r.Handlers) != 1 || r.Handlers[0].Name != "halt" || r.Tasks[0].Name != "main" {
				return "variant role wrong"
			}
			return ""
		}},
		{name: "include_tasks apply and loop", check: func() string {
			inc := tasks[3]
			if inc.Apply == nil || !reflect.DeepEqual(inc.Apply.Tags, []string{"ap"}) || inc.Loop == nil {
				return "apply or loop lost"
			}
			return ""
		}},
		{name: "include_vars stays an action", check: func() string {
			if tasks[4].Module != "include_vars" || tasks[4].Args["_raw_params"] != "vars.yml" {
				return "include_vars changed"
			}
			return ""
		}},
		{name: "import_playbook vars, tags and when", check: func() string {
			p := pb.Plays[1]
			if p.Vars["a"] != "other" || p.Vars["b"] != "imported" {
				return "play vars should win over import vars"
			}
			if !reflect.DeepEqual(p.Tags, []string{"pb"}) {
				return "import tags not added"
			}
			if !reflect.DeepEqual(p.Tasks[0].When, []any{"b is defined", "c"}) {
				return "import when not prepended"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := tt.check(); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestLoadInclusionErrors(t *testing.T) {
	tests := []struct {
		name, play, want string
	}{
		{name: "include_tasks bad option", play: "- include_tasks:\n    file: x.yml\n    bogus: 1\n", want: "Invalid options for include_tasks: bogus"},
		{name: "include_tasks without file", play: "- include_tasks:\n", want: "No file specified for include_tasks"},
		{name: "import_role apply", play: "- import_role:\n    name: r\n    apply: {tags: x}\n", want: "Invalid options for import_role: apply"},
		{name: "include_role without name", play: "- include_role:\n    tasks_from: x\n", want: "'name' is a required field for include_role."},
		{name: "tasks_from missing", play: "- include_role:\n    name: r\n    tasks_from: nope\n", want: "Could not find specified file in role: tasks/nope"},
		{name: "import_tasks templated", play: "- import_tasks: \"{{ x }}.yml\"\n", want: "templated file name in import_tasks"},
		{name: "apply not a block keyword", play: "- include_tasks:\n    file: tasks/one.yml\n    apply: {register: x}\n", want: "'register' is not a valid attribute for a Block (in apply)"},
	}
	dir := t.TempDir()
	for _, sub := range []string{"roles", "tasks"} {
		if err := os.Symlink(mustAbs(t, filepath.Join("testdata/include", sub)), filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := filepath.Join(dir, "play.yml")
			body := "- hosts: all\n  tasks:\n" + indent(tt.play, "    ")
			if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(f, testOptions())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func indent(s, pre string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pre + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestLoadTasksFileNestedImport(t *testing.T) {
	dir := t.TempDir()
	must := func(name, body string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must("sub/a.yml", "- import_tasks: b.yml\n")
	must("sub/b.yml", "- name: b\n  debug: msg=b\n")
	tasks, err := LoadTasksFile(filepath.Join(dir, "sub/a.yml"), nil, Options{PlaybookDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || len(tasks[0].Block) != 1 || tasks[0].Block[0].Name != "b" {
		t.Fatalf("nested import not expanded: %+v", tasks)
	}
}
