package template

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestScopePrecedence(t *testing.T) {
	low := map[string]any{"a": "low", "b": "low"}
	high := map[string]any{"b": "high"}
	s := NewScope(low, high)
	child := s.Child(map[string]any{"a": "child"})
	tests := []struct {
		name  string
		scope *Scope
		key   string
		want  any
		found bool
	}{
		{name: "low layer", scope: s, key: "a", want: "low", found: true},
		{name: "high layer wins", scope: s, key: "b", want: "high", found: true},
		{name: "child wins", scope: child, key: "a", want: "child", found: true},
		{name: "child sees parent", scope: child, key: "b", want: "high", found: true},
		{name: "missing", scope: child, key: "zz", want: nil, found: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := tc.scope.Lookup(tc.key)
			if err != nil || ok != tc.found || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Lookup(%q) = %#v, %v, %v; want %#v, %v", tc.key, got, ok, err, tc.want, tc.found)
			}
			if tc.scope.Has(tc.key) != tc.found {
				t.Fatalf("Has(%q) = %v", tc.key, !tc.found)
			}
		})
	}
	if s.Has("a") && s.Child(nil).Has("a") != true {
		t.Fatal("a nil child layer hides the parent")
	}
}

func TestScopeLazyTemplating(t *testing.T) {
	defaults := map[string]any{
		"logs_dir":    "/data/consul/logs",
		"directories": []any{"/data/consul/data", "{{ logs_dir }}"},
	}
	s := NewScope(defaults, map[string]any{"logs_dir": "/override"})
	got, _, err := s.Lookup("directories")
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"/data/consul/data", "/override"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	// the layer itself is never written
	if defaults["directories"].([]any)[1] != "{{ logs_dir }}" {
		t.Fatal("Lookup modified a layer map")
	}
}

// TestScopeUsesAnsibleFilters guards the lazy templating of variables, which runs on the
// package's own engine, against missing the Ansible filters and tests.
func TestScopeUsesAnsibleFilters(t *testing.T) {
	s := NewScope(map[string]any{"x": "yes", "j": "{{ {'a': 1} | to_json }}", "b": "{{ x | bool }}", "q": "{{ 'a b' | quote }}"})
	for name, want := range map[string]any{"j": `{"a": 1}`, "b": true, "q": "'a b'"} {
		got, _, err := s.Lookup(name)
		if err != nil || got != want {
			t.Errorf("Lookup(%s) = %#v, %v; want %#v", name, got, err, want)
		}
	}
}

func TestScopeRecursionIsAnError(t *testing.T) {
	tests := []struct {
		name  string
		vars  map[string]any
		start string
		chain string
	}{
		{name: "self", vars: map[string]any{"a": "{{ a }}"}, start: "a", chain: "a -> a"},
		{name: "pair", vars: map[string]any{"a": "{{ b }}", "b": "x{{ a }}"}, start: "a", chain: "a -> b -> a"},
		{name: "inside list", vars: map[string]any{"l": []any{"{{ l }}"}}, start: "l", chain: "l -> l"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := NewScope(tc.vars).Lookup(tc.start)
			var re *RecursionError
			if !errors.As(err, &re) {
				t.Fatalf("want *RecursionError, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.chain) {
				t.Fatalf("error %q does not name the chain %q", err, tc.chain)
			}
		})
	}
}

func TestHostvarsScopeAsMapping(t *testing.T) {
	web := NewScope(map[string]any{"port": 8080, "url": "http://web:{{ port }}"})
	s := NewScope(map[string]any{"hostvars": map[string]any{"web": web}, "h": "web"})
	e := New()
	tests := []struct {
		name string
		tmpl string
		want any
	}{
		{name: "attribute", tmpl: "{{ hostvars.web.port }}", want: "8080"},
		{name: "item", tmpl: "{{ hostvars[h]['url'] }}", want: "http://web:8080"},
		{name: "is defined", tmpl: "{{ hostvars.web.nope is defined }}", want: false},
		{name: "in", tmpl: "{{ 'port' in hostvars[h] and 'nope' not in hostvars[h] }}", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Render(tc.tmpl, s)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Render(%q) = %#v, %v; want %#v", tc.tmpl, got, err, tc.want)
			}
		})
	}
	_, err := e.Render("{{ hostvars.web.nope }}", s)
	var ue *UndefinedError
	if !errors.As(err, &ue) || err.Error() != "'dict object' has no attribute 'nope'" {
		t.Fatalf("got %v", err)
	}
}

func TestScopeConcurrentUse(t *testing.T) {
	s := NewScope(map[string]any{"a": "{{ b }}-{{ c }}", "b": 1, "c": []any{"{{ b }}"}})
	e := New()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sc := s.Child(map[string]any{"item": i})
			for j := 0; j < 50; j++ {
				got, err := e.Render("{{ a }} {{ item }}", sc)
				if err != nil {
					t.Error(err)
					return
				}
				want := "1-[1] " + string(rune('0'+i)) // "{{ b }}" in a list keeps b's int
				if got != want {
					t.Errorf("got %q, want %q", got, want)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}
