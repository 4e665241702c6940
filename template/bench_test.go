package template

import "testing"

func BenchmarkRenderItem(b *testing.B) {
	s := NewScope(map[string]any{
		"files": []any{map[string]any{"src": "consul", "dest": "/usr/local/bin/consul", "mode": "0755"}},
	}).Child(map[string]any{"item": map[string]any{"src": "consul", "dest": "/usr/local/bin/consul", "mode": "0755"}})
	e := New()
	args := map[string]any{"src": "{{ item.src }}", "dest": "{{ item.dest }}", "mode": "{{ item.mode }}"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Render(args, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCond(b *testing.B) {
	s := NewScope(map[string]any{"r": map[string]any{"changed": true}, "x": "yes"})
	e := New()
	for b.Loop() {
		if _, err := e.Cond("r is changed and x | bool", s); err != nil {
			b.Fatal(err)
		}
	}
}
