package template

import (
	"reflect"
	"testing"
)

func TestUnsafeIsNeverTemplated(t *testing.T) {
	s := NewScope(map[string]any{
		"x":      "expanded",
		"r":      Unsafe{V: map[string]any{"stdout": "{{ x }}", "rc": 0}},
		"fact":   Unsafe{V: "{% raw %}a{% endraw %}"},
		"copied": "{{ r.stdout }}",
		"facts":  map[string]any{"env": Unsafe{V: "{{ x }}"}},
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
	if v, _, err := s.Lookup("r"); err != nil || !reflect.DeepEqual(v, map[string]any{"stdout": "{{ x }}", "rc": 0}) {
		t.Errorf("Lookup(r) = %#v, %v: want the plain, untemplated map", v, err)
	}
	marked, err := e.RenderMarked(map[string]any{"a": "{{ r.stdout }}", "b": "{{ x }}"}, s)
	if err != nil {
		t.Fatal(err)
	}
	m := marked.(map[string]any)
	if _, ok := m["a"].(Unsafe); !ok {
		t.Errorf("RenderMarked kept no marker on a value read from unsafe data: %#v", m["a"])
	}
	if _, ok := m["b"].(Unsafe); ok {
		t.Errorf("RenderMarked marked a value built from safe data: %#v", m["b"])
	}
}
