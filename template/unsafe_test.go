package template

import (
	"reflect"
	"testing"
)

func TestUnsafeIsNeverTemplated(t *testing.T) {
	s := NewScope(map[string]any{
		"x":      "expanded",
		"r":      MarkUnsafe(map[string]any{"stdout": "{{ x }}", "rc": 0, "lines": []any{"{{ x }}", "a"}}),
		"fact":   UnsafeText("{% raw %}a{% endraw %}"),
		"copied": "{{ r.stdout }}",
		"facts":  map[string]any{"env": UnsafeText("{{ x }}")},
	})
	e := New()
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "attribute read as data", in: "{{ r.stdout }}", want: "{{ x }}"},
		{name: "filters still work", in: "{{ r.stdout | length }}", want: "7"},
		{name: "concatenation", in: "{{ r.stdout ~ '!' }}", want: "{{ x }}!"},
		{name: "unsafe string", in: "{{ fact }}", want: "{% raw %}a{% endraw %}"},
		{name: "variable built from unsafe data", in: "{{ copied }}", want: "{{ x }}"},
		{name: "nested unsafe value", in: "{{ facts.env }}", want: "{{ x }}"},
		{name: "safe text still renders", in: "{{ x }}", want: "expanded"},
		{name: "compared as text", in: "{{ r.stdout == '{{ x }}' }}", want: true},
		{name: "list item compared as text", in: "{{ 'a' in r.lines }}", want: true},
		{name: "for loop over unsafe text", in: "{% for l in r.lines %}{{ l == 'a' }}{% endfor %}", want: "FalseTrue"},
		{name: "joined", in: "{{ r.lines | join(',') }}", want: "{{ x }},a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Render(tc.in, s)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Render(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
	if v, _, err := s.Lookup("r"); err != nil || !reflect.DeepEqual(v, map[string]any{"stdout": "{{ x }}", "rc": 0, "lines": []any{"{{ x }}", "a"}}) {
		t.Errorf("Lookup(r) = %#v, %v: want the plain, untemplated map", v, err)
	}
	marked, err := e.RenderMarked(map[string]any{"a": "{{ r.stdout }}", "b": "{{ x }}"}, s)
	if err != nil {
		t.Fatal(err)
	}
	m := marked.(map[string]any)
	if _, ok := m["a"].(UnsafeText); !ok {
		t.Errorf("RenderMarked kept no marker on a value read from unsafe data: %#v", m["a"])
	}
	if _, ok := m["b"].(string); !ok {
		t.Errorf("RenderMarked marked a value built from safe data: %#v", m["b"])
	}
}

// The mark sits on the leaves: a list or dict built from unsafe data, stored back into a
// scope (loop items, nested set_fact values), is still never templated.
func TestUnsafeKeptThroughStoredValues(t *testing.T) {
	base := NewScope(map[string]any{
		"x": "expanded",
		"r": MarkUnsafe(map[string]any{"stdout": "{{ x }}", "stdout_lines": []any{"{{ x }}"}}),
	})
	e := New()
	stored, err := e.RenderMarked(map[string]any{
		"items": "{{ r.stdout_lines }}",
		"y":     map[string]any{"a": "{{ r.stdout }}"},
		"z":     []any{"{{ r.stdout }}", "{{ x }}"},
	}, base)
	if err != nil {
		t.Fatal(err)
	}
	m := stored.(map[string]any)
	item := m["items"].([]any)[0]
	s := base.Child(map[string]any{"item": item, "y": m["y"], "z": m["z"]})
	for tpl, want := range map[string]any{
		"loop {{ item }}": "loop {{ x }}",
		"{{ y.a }}":       "{{ x }}",
		"{{ z[0] }}":      "{{ x }}",
		"{{ z[1] }}":      "expanded",
	} {
		got, err := e.Render(tpl, s)
		if err != nil || got != want {
			t.Errorf("Render(%q) = %#v, %v; want %#v", tpl, got, err, want)
		}
	}
}
