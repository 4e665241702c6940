package template

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCachedFilesFollowChanges: included and extended files are compiled
// once per text, and a changed file is read again.
func TestCachedFilesFollowChanges(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"templates/base.j2": "base1 {% block b %}{% endblock %}",
		"templates/inc.j2":  "inc1",
	})
	e := New()
	sc := NewScope(map[string]any{"playbook_dir": dir, "ansible_search_path": []any{dir}})
	render := func(text string) string {
		t.Helper()
		out, err := e.RenderFile(text, sc, FileOptions{Vars: map[string]any{"template_fullpath": filepath.Join(dir, "templates", "t.j2")}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ext := "{% extends 'base.j2' %}{% block b %}child{% endblock %}"
	inc := "{% for i in [1, 2] %}{% include 'inc.j2' %}{% endfor %}"
	if got := render(ext); got != "base1 child" {
		t.Errorf("extends: %q", got)
	}
	if got := render(inc); got != "inc1inc1" {
		t.Errorf("include: %q", got)
	}
	for name, text := range map[string]string{"base.j2": "base2 {% block b %}{% endblock %}", "inc.j2": "inc2"} {
		if err := os.WriteFile(filepath.Join(dir, "templates", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := render(ext); got != "base2 child" {
		t.Errorf("extends after change: %q", got)
	}
	if got := render(inc); got != "inc2inc2" {
		t.Errorf("include after change: %q", got)
	}
}
