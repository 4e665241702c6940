package template

import "testing"

// FuzzRender checks that no template text makes the engine panic or hang.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"{{ x }}", "{{ x | default('a') }}", "{% for i in l %}{{ i }}{% endfor %}", "{{ '%s' % x }}",
		"{{ d.a.b }}", "{{ l[1:] }}", "{{ x is version('1', '>') }}", "{{ 1 < x < 3 }}", "{{ {'a': [1, {}]} | to_yaml }}",
		"{{ x ** 2 // 3 }}", "{{ 'a\\1' | regex_replace('(a)', '\\1') }}", "{{", "{% if %}", "{{ ) }}",
	} {
		f.Add(seed)
	}
	s := NewScope(map[string]any{"x": 2, "l": []any{1, "a"}, "d": map[string]any{"a": map[string]any{"b": 1}}})
	e := New()
	f.Fuzz(func(t *testing.T, tmpl string) {
		_, _ = e.Render(tmpl, s)
		_, _ = e.Cond(tmpl, s)
	})
}
