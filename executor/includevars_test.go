package executor

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gossible/gossible/playbook"
)

func TestVarsDirFiles(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"b.yml", "a.yml", "sub/c.yml", "sub/deeper/d.yml", "zz/e.json"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x: 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args map[string]any
		want []string
	}{
		{name: "all, sorted by directory then name", args: map[string]any{}, want: []string{"a.yml", "b.yml", "sub/c.yml", "sub/deeper/d.yml", "zz/e.json"}},
		{name: "depth 1 is the top directory", args: map[string]any{"depth": 1}, want: []string{"a.yml", "b.yml"}},
		{name: "depth 2", args: map[string]any{"depth": "2"}, want: []string{"a.yml", "b.yml", "sub/c.yml", "zz/e.json"}},
		{name: "files_matching", args: map[string]any{"files_matching": "^[ce]"}, want: []string{"sub/c.yml", "zz/e.json"}},
		{name: "ignore_files", args: map[string]any{"ignore_files": []any{"a.yml", "d.yml"}}, want: []string{"b.yml", "sub/c.yml", "zz/e.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := varsDirFiles(root, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i], _ = filepath.Rel(root, got[i])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := varsDirFiles(root, map[string]any{"files_matching": "("}); err == nil {
		t.Error("a bad files_matching pattern should be an error")
	}
}

func TestApplyIncludeVars(t *testing.T) {
	tests := []struct {
		name  string
		steps []func(r *runner, hs *hostState)
		want  any
	}{
		{name: "include_vars sets", steps: []func(*runner, *hostState){
			func(r *runner, hs *hostState) { r.applyIncludeVars(hs, map[string]any{"a": 1}) },
		}, want: 1},
		{name: "a later include_vars overrides an earlier one", steps: []func(*runner, *hostState){
			func(r *runner, hs *hostState) { r.applyIncludeVars(hs, map[string]any{"a": 1}) },
			func(r *runner, hs *hostState) { r.applyIncludeVars(hs, map[string]any{"a": 2}) },
		}, want: 2},
		{name: "set_fact outranks a later include_vars", steps: []func(*runner, *hostState){
			func(r *runner, hs *hostState) { hs.nonpersistent["a"] = "fact" },
			func(r *runner, hs *hostState) { r.applyIncludeVars(hs, map[string]any{"a": 2}) },
		}, want: "fact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &runner{}
			hs := &hostState{nonpersistent: map[string]any{}, incKeys: map[string]bool{}}
			for _, s := range tt.steps {
				s(r, hs)
			}
			if got := hs.nonpersistent["a"]; got != tt.want {
				t.Errorf("a = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestIncludeParams(t *testing.T) {
	inc := &node{task: &playbook.Task{Vars: map[string]any{"x": "outer"}}, includeParams: true}
	block := &node{task: &playbook.Task{Vars: map[string]any{"x": "block"}}, parent: inc}
	inner := &node{task: &playbook.Task{Vars: map[string]any{"x": "inner"}}, parent: block, includeParams: true}
	leaf := &node{task: &playbook.Task{}, parent: inner}
	got := includeParams(leaf)
	want := []map[string]any{{"x": "outer"}, {"x": "inner"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v (include vars only, outermost first)", got, want)
	}
}
