package playbook

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Blocks and tasks carry their own module_defaults and ignore_unreachable;
// the executor merges them with the play's.
func TestBlockAndTaskKeywords(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"p.yml": `- hosts: all
  tasks:
    - block:
        - copy: content=x dest=/tmp/f
          module_defaults: {copy: {mode: "0600"}}
          ignore_unreachable: false
      module_defaults:
        - file: {state: directory}
      ignore_unreachable: true
`})
	pb, err := Load(filepath.Join(dir, "p.yml"), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	b := pb.Plays[0].Tasks[0]
	task := b.Block[0]
	if !*b.IgnoreUnreachable || *task.IgnoreUnreachable {
		t.Errorf("ignore_unreachable: block %v, task %v", *b.IgnoreUnreachable, *task.IgnoreUnreachable)
	}
	if want := []map[string]any{{"file": map[string]any{"state": "directory"}}}; !reflect.DeepEqual(b.ModuleDefaults, want) {
		t.Errorf("block module_defaults = %v, want %v", b.ModuleDefaults, want)
	}
	if want := []map[string]any{{"copy": map[string]any{"mode": "0600"}}}; !reflect.DeepEqual(task.ModuleDefaults, want) {
		t.Errorf("task module_defaults = %v, want %v", task.ModuleDefaults, want)
	}
}

func TestTaskModuleDefaultsErrorPlace(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"p.yml": "- hosts: all\n  tasks:\n    - ping:\n      module_defaults: 3\n"})
	_, err := Load(filepath.Join(dir, "p.yml"), testOptions())
	var pe *Error
	if !errors.As(err, &pe) || pe.Pos.Line != 4 || !strings.Contains(pe.Msg, "'module_defaults' is supposed to be a dictionary") {
		t.Fatalf("err = %v, want the module_defaults error on line 4", err)
	}
}
