package template

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRenderStructures(t *testing.T) {
	s := NewScope(map[string]any{"x": "v", "n": 3, "item": map[string]any{"src": "consul", "mode": "0755"}})
	in := map[string]any{
		"plain": "text",
		"tmpl":  "{{ x }}",
		"int":   7,
		"bool":  true,
		"nil":   nil,
		"list":  []any{"{{ n }}", "a{{ n }}", 1.5},
		"map":   map[string]any{"mode": "{{ item.mode }}"},
	}
	got, err := New().Render(in, s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"plain": "text", "tmpl": "v", "int": 7, "bool": true, "nil": nil,
		"list": []any{3, "a3", 1.5}, "map": map[string]any{"mode": "0755"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
	if in["tmpl"] != "{{ x }}" {
		t.Fatal("Render modified its input")
	}
}

func TestIsTemplate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "expression", in: "a {{ b }}", want: true},
		{name: "statement", in: "{% if x %}{% endif %}", want: true},
		{name: "comment", in: "{# c #}", want: true},
		{name: "plain", in: "a { b } %", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTemplate(tc.in); got != tc.want {
				t.Fatalf("IsTemplate(%q) = %v", tc.in, got)
			}
		})
	}
}

func TestUndefinedErrorNames(t *testing.T) {
	s := NewScope(map[string]any{"item": map[string]any{"src": "a"}, "l": []any{1}})
	tests := []struct {
		name     string
		tmpl     string
		wantName string
		wantMsg  string
	}{
		{name: "variable", tmpl: "{{ foo }}", wantName: "foo", wantMsg: "'foo' is undefined"},
		{name: "attribute path", tmpl: "x {{ item.dest }}", wantName: "item.dest", wantMsg: "'dict object' has no attribute 'dest'"},
		{name: "through a filter", tmpl: "{{ foo | upper }}", wantName: "foo", wantMsg: "'foo' is undefined"},
		{name: "in a loop", tmpl: "{% for i in l %}{{ bar }}{% endfor %}", wantName: "bar", wantMsg: "'bar' is undefined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Render(tc.tmpl, s)
			var ue *UndefinedError
			if !errors.As(err, &ue) {
				t.Fatalf("want *UndefinedError, got %T %v", err, err)
			}
			if ue.Name != tc.wantName || err.Error() != tc.wantMsg {
				t.Fatalf("got name %q msg %q; want %q %q", ue.Name, err.Error(), tc.wantName, tc.wantMsg)
			}
		})
	}
}

func TestCond(t *testing.T) {
	s := NewScope(map[string]any{
		"r": map[string]any{"changed": true, "rc": 0}, "flag": "yes", "t": true,
	})
	tests := []struct {
		name    string
		cond    any
		want    bool
		wantErr string
	}{
		{name: "bool true", cond: true, want: true},
		{name: "bool false", cond: false, want: false},
		{name: "nil", cond: nil, want: false},
		{name: "list all true", cond: []any{"t", true, "flag == 'yes'"}, want: true},
		{name: "list one false", cond: []any{"t", "not t"}, want: false},
		{name: "registered changed", cond: "r is changed", want: true},
		{name: "rc", cond: "r.rc == 0 and not r is failed", want: true},
		{name: "bool filter", cond: "flag | bool", want: true},
		{name: "templated", cond: "{{ t }}", want: true},
		{name: "undefined", cond: "nope", wantErr: "The conditional check 'nope' failed. The error was: error while evaluating conditional (nope): 'nope' is undefined"},
		{name: "unknown test", cond: "r is bogus", wantErr: `Could not load "bogus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := New().Cond(tc.cond, s)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, %v; want error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Cond(%v) = %v, %v; want %v", tc.cond, got, err, tc.want)
			}
		})
	}
}

func TestEvalAndRenderString(t *testing.T) {
	s := NewScope(map[string]any{"files": []any{map[string]any{"src": "ui"}}, "n": 2})
	e := New()
	got, err := e.Eval("files", s)
	if err != nil || !reflect.DeepEqual(got, []any{map[string]any{"src": "ui"}}) {
		t.Fatalf("Eval(files) = %#v, %v", got, err)
	}
	got, err = e.Eval("{{ n + 1 }}", s)
	if err != nil || got != "3" {
		t.Fatalf("Eval of a template = %#v, %v", got, err)
	}
	if _, err := e.Eval("  ", s); err == nil {
		t.Fatal("empty expression accepted")
	}
	str, err := e.RenderString("{{ n }}", s)
	if err != nil || str != "2" {
		t.Fatalf("RenderString = %q, %v", str, err)
	}
}

func TestOmit(t *testing.T) {
	s := NewScope(map[string]any{"mode": nil})
	args, err := New().Render(map[string]any{
		"path": "/x",
		"mode": "{{ missing | default(omit) }}",
		"list": []any{"a", "{{ omit }}"},
	}, s)
	if err != nil {
		t.Fatal(err)
	}
	got := RemoveOmit(args)
	want := map[string]any{"path": "/x", "list": []any{"a"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	if !IsOmit(OmitPlaceholder) || IsOmit("x") {
		t.Fatal("IsOmit is wrong")
	}
}

// TestRegisteredNames keeps the filter and test list the executor relies on from shrinking.
func TestRegisteredNames(t *testing.T) {
	e := New()
	filters := strings.Fields(`default d bool int float string lower upper trim length count join
		replace regex_replace regex_search to_json to_nice_json from_json to_yaml to_nice_yaml
		from_yaml b64encode b64decode basename dirname quote combine dict2items items2dict first
		last unique union difference intersect flatten map select reject selectattr rejectattr
		list sort min max sum ternary mandatory type_debug reverse`)
	for _, f := range filters {
		if !e.env.Filters.Exists(f) {
			t.Errorf("filter %q is not registered", f)
		}
	}
	tests := strings.Fields(`defined undefined none string number mapping iterable sequence
		boolean match search regex in contains succeeded success failed failure changed change
		skipped skip truthy falsy version version_compare`)
	for _, name := range tests {
		if !e.env.Tests.Exists(name) {
			t.Errorf("test %q is not registered", name)
		}
	}
}

func TestErrorsNameTheTemplate(t *testing.T) {
	s := NewScope(map[string]any{"x": 1})
	tests := []struct {
		name string
		tmpl string
		want string
	}{
		{name: "unknown filter", tmpl: "{{ x | nope }}", want: `template error while templating string: Could not load "nope": 'nope'. String: {{ x | nope }}`},
		{name: "syntax", tmpl: "{{ x + }}", want: "String: {{ x + }}"},
		{name: "failing filter", tmpl: "{{ 'x' | regex_search('(?=x)') }}", want: "filter 'regex_search' failed"},
		{name: "unterminated string", tmpl: "{{ 'abc }}", want: "String: {{ 'abc }}"},
		{name: "unclosed block", tmpl: "{% for i in x %}", want: "String: {% for i in x %}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Render(tc.tmpl, s)
			var te *TemplateError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %T %v; want *TemplateError containing %q", err, err, tc.want)
			}
		})
	}
}
