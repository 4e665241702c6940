package template

import (
	"fmt"
	"testing"
)

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

// bigFacts is a gathered-facts-sized map (300 facts of 30 keys each), marked as the
// executor marks module facts.
func bigFacts() map[string]any {
	facts := make(map[string]any, 300)
	for i := range 300 {
		f := make(map[string]any, 30)
		for j := range 30 {
			f[fmt.Sprintf("k%d", j)] = []any{fmt.Sprintf("v%d_%d", i, j), j}
		}
		facts[fmt.Sprintf("ansible_f%d", i)] = f
	}
	return MarkUnsafe(facts).(map[string]any)
}

// A template reading one leaf of a big variable must not pay for walking it
// several times.
func BenchmarkRenderBigFacts(b *testing.B) {
	s := NewScope(map[string]any{"ansible_facts": bigFacts()})
	e := New()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Render("{{ ansible_facts.ansible_f1.k1[0] }}", s); err != nil {
			b.Fatal(err)
		}
	}
}
