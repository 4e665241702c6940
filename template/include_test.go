package template

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (path → text) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// renderTemplateFile renders dir/templates/name as the template module does.
func renderTemplateFile(t *testing.T, dir, name string, vars map[string]any) (string, error) {
	t.Helper()
	full := filepath.Join(dir, "templates", name)
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	layer := map[string]any{"playbook_dir": dir}
	for k, v := range vars {
		layer[k] = v
	}
	return New().RenderFile(string(data), NewScope(layer), FileOptions{
		TrimBlocks: true,
		Vars:       map[string]any{"template_fullpath": full},
	})
}

func TestIncludeImportExtends(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"templates/macros.j2": "{% set greeting = 'hi' %}\n" +
			"{% macro hello(n) %}{{ greeting }} {{ n }}{% endmacro %}\n" +
			"{% macro twice(n) %}{{ hello(n) }}+{{ hello(n) }}{% endmacro %}\n" +
			"{% macro usesx() %}x={{ x }}{% endmacro %}\n",
		"templates/inc.j2":       "inc {{ x }} {{ y }}\n",
		"templates/sub/inner.j2": "inner {{ i }}\n",
		"templates/base.j2":      "head {{ x }}\n{% block body %}default{% endblock %}\n{% block foot %}foot{% endblock %}\n",
		"order.j2":               "pb dir\n",
		"templates/order.j2":     "pb templates\n",
	})
	tests := []struct {
		name, text, want string
	}{
		{"include", "a {% include 'inc.j2' %}\nb\n", "a inc 1 2b\n"},
		{"include sees loop vars", "{% for i in [1, 2] %}{% include 'sub/inner.j2' %};{% endfor %}\n", "inner 1;inner 2;\n"},
		{"include without context", "{% include 'inc.j2' ignore missing without context %}", ""},
		{"ignore missing", "[{% include 'nope.j2' ignore missing %}]", "[]"},
		{"first of a list", "{% include ['nope.j2', 'inc.j2'] %}", "inc 1 2"},
		{"search order", "{% include 'order.j2' %}", "pb templates"},
		{"import", "{% import 'macros.j2' as m %}{{ m.hello('a') }} {{ m.greeting }} {{ m.twice('b') }}", "hi a hi hi b+hi b"},
		{"from import", "{% from 'macros.j2' import twice, hello as h %}{{ twice('c') }} {{ h('d') }}", "hi c+hi c hi d"},
		{"import with context", "{% from 'macros.j2' import usesx with context %}{{ usesx() }}", "x=1"},
		{"extends", "{% extends 'base.j2' %}{% block body %}child {{ y }} / {{ super() }}{% endblock %}ignored", "head 1\nchild 2 / defaultfoot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := strings.ReplaceAll(tt.name, " ", "_") + ".j2"
			if err := os.WriteFile(filepath.Join(dir, "templates", name), []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := renderTemplateFile(t, dir, name, map[string]any{"x": 1, "y": "{{ x + 1 }}"})
			if tt.name == "include without context" {
				var u *UndefinedError
				if !errors.As(err, &u) || u.Name != "x" {
					t.Fatalf("want x undefined, got %q, %v", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTemplateFileErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"templates/bad.j2":     "line one\n{% if x %}\nline three {{ x | }}\n{% endif %}\n",
		"templates/incbad.j2":  "x {% include 'bad.j2' %}",
		"templates/missing.j2": "{% include 'nope.j2' %}",
		"templates/do.j2":      "{% do l.append(1) %}",
		"templates/header.j2":  "#jinja2: trim_blocks: False\n\n{{ x | }}\n",
	})
	tests := []struct {
		name, file string
		want       []string // substrings of the error
	}{
		{"syntax error names file, line and text", "bad.j2", []string{"bad.j2, line 3: line three {{ x | }}"}},
		{"syntax error in an included file names that file", "incbad.j2", []string{"templates/bad.j2, line 3"}},
		{"missing include", "missing.j2", []string{"TemplateNotFound: nope.j2"}},
		{"do is not enabled", "do.j2", []string{"Encountered unknown tag 'do'."}},
		{"header line counted", "header.j2", []string{"header.j2, line 3: {{ x | }}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := renderTemplateFile(t, dir, tt.file, map[string]any{"x": 1, "l": []any{}})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestRecursiveVariableNamesChain(t *testing.T) {
	s := NewScope(map[string]any{"a": "{{ b }}", "b": "{{ a }}"})
	_, err := New().Render("{{ a }}", s)
	var re *RecursionError
	if !errors.As(err, &re) {
		t.Fatalf("want a RecursionError, got %v", err)
	}
	want := "recursive loop detected in template string: {{ b }} (variable chain: a -> b -> a)"
	if err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}
}

func TestJinjaOverridesHeader(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"templates/h.j2": "#jinja2: lstrip_blocks: True\na\n    {% if true %}\nb\n    {% endif %}\nc\n",
		"templates/x.j2": "#jinja2: newline_sequence: '\\r\\n'\na\n",
	})
	got, err := renderTemplateFile(t, dir, "h.j2", nil)
	if err != nil || got != "a\nb\nc\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := renderTemplateFile(t, dir, "x.j2", nil); err == nil || !strings.Contains(err.Error(), "newline_sequence") {
		t.Fatalf("unsupported override: got %v", err)
	}
}

func TestInlineIncludeFromPlaybookDir(t *testing.T) {
	dir := writeTree(t, map[string]string{"snippet.j2": "s {{ x }}\n"})
	s := NewScope(map[string]any{"playbook_dir": dir, "x": 2})
	got, err := New().Render("[{% include 'snippet.j2' %}]", s)
	if err != nil || got != "[s 2]" {
		t.Fatalf("got %q, %v", got, err)
	}
}
