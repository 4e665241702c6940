package template

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
)

// rec records keys as m's order, as gossible's YAML loader does.
func rec(m map[string]any, keys ...string) map[string]any {
	keyorder.Record(m, keys)
	return m
}

func TestRenderKeepsOrder(t *testing.T) {
	inner := rec(map[string]any{"y": "{{ n }}", "b": 2}, "y", "b")
	in := rec(map[string]any{"zeta": "{{ n }}", "alpha": inner, "mid": "x"}, "zeta", "alpha", "mid")
	got, err := New().Render(in, NewScope(map[string]any{"n": 1}))
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if k := keyorder.Keys(m); !reflect.DeepEqual(k, []string{"zeta", "alpha", "mid"}) {
		t.Errorf("rendered keys %v", k)
	}
	if k := keyorder.Keys(m["alpha"].(map[string]any)); !reflect.DeepEqual(k, []string{"y", "b"}) {
		t.Errorf("rendered inner keys %v", k)
	}
}

func TestRemoveOmitKeepsOrder(t *testing.T) {
	in := rec(map[string]any{"src": "a", "owner": OmitPlaceholder, "dest": "b", "mode": "0644"}, "src", "owner", "dest", "mode")
	got := RemoveOmit(in).(map[string]any)
	if k := keyorder.Keys(got); !reflect.DeepEqual(k, []string{"src", "dest", "mode"}) {
		t.Errorf("keys %v", k)
	}
}

func TestOrderInTemplates(t *testing.T) {
	files := []any{
		rec(map[string]any{"src": "consul", "dest": "/usr/local/bin/consul", "mode": "0755"}, "src", "dest", "mode"),
	}
	d := rec(map[string]any{"zeta": 1, "Alpha": 2, "mid": 3}, "zeta", "Alpha", "mid")
	s := NewScope(map[string]any{"files": files, "d": d, "plain": map[string]any{"b": 1, "a": 2}})
	tests := []struct {
		name, src, want string
	}{
		{name: "loop label item", src: "{{ files[0] | string }}", want: "{'src': 'consul', 'dest': '/usr/local/bin/consul', 'mode': '0755'}"},
		{name: "for over dict", src: "{% for k in d %}{{ k }} {% endfor %}", want: "zeta Alpha mid "},
		{name: "for with key and value", src: "{% for k, v in d.items() %}{{ k }}{% endfor %}", want: "zetaAlphamid"},
		{name: "nested output", src: "x{% for f in files %}{{ f }}{% endfor %}", want: "x{'src': 'consul', 'dest': '/usr/local/bin/consul', 'mode': '0755'}"},
		{name: "nested output with none", src: "{% if true %}x[{{ none }}]{% endif %}", want: "x[]"},
		{name: "inline if output", src: "{{ d if true else 1 }}!", want: "{'zeta': 1, 'Alpha': 2, 'mid': 3}!"},
		{name: "unrecorded sorted", src: "{{ plain | to_json }}", want: `{"a": 2, "b": 1}`},
		{name: "items filter", src: "{% for k, v in d | items %}{{ k }}={{ v }} {% endfor %}", want: "zeta=1 Alpha=2 mid=3 "},
		{name: "dict method copy", src: "{{ d.copy() | to_json }}", want: `{"zeta": 1, "Alpha": 2, "mid": 3}`},
		{name: "last filter", src: "{{ d | last }}", want: "mid"},
		{name: "to_json of a json string", src: `{{ '{"b": {"z": 1, "a": [{"y": 0, "x": 1}]}, "a": 2}' | from_json | to_json }}`, want: `{"b": {"z": 1, "a": [{"y": 0, "x": 1}]}, "a": 2}`},
		{name: "from_yaml alias", src: "{{ 'x: &a {z: 1, b: 2}\ny: *a\n' | from_yaml | to_json }}", want: `{"x": {"z": 1, "b": 2}, "y": {"z": 1, "b": 2}}`},
		{name: "from_yaml non-string keys", src: "{{ 'z: 1\n2: x\na: y\n' | from_yaml | to_json }}", want: `{"z": 1, "2": "x", "a": "y"}`},
	}
	e := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.Render(tc.src, s)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := got.(string); !ok || s != tc.want {
				t.Errorf("got  %#v\nwant %q", got, tc.want)
			}
		})
	}
}

func TestOrderRewriteKeepsErrors(t *testing.T) {
	s := NewScope(map[string]any{"d": map[string]any{"a": 1}, "l": []any{1}})
	tests := []struct {
		name, src, undefined string
	}{
		{name: "for over undefined", src: "{% for x in nope %}{% endfor %}", undefined: "nope"},
		{name: "nested output undefined", src: "{% if true %}{{ nope }}{% endif %}", undefined: "nope"},
		{name: "missing attribute in loop", src: "{% for k in d %}{{ d.zz }}{% endfor %}", undefined: "d.zz"},
		{name: "missing element in block", src: "{% if true %}{{ l[3] }}{% endif %}", undefined: "l[3]"},
	}
	e := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Render(tc.src, s)
			var u *UndefinedError
			if !errors.As(err, &u) {
				t.Fatalf("want *UndefinedError, got %T %v", err, err)
			}
			if u.Name != tc.undefined {
				t.Errorf("undefined name %q, want %q (%v)", u.Name, tc.undefined, err)
			}
		})
	}
}

func TestDecodeJSONOrdered(t *testing.T) {
	v, err := decodeJSONOrdered(`{"b": 1, "a": {"z": 2.5, "y": null}, "b": 3}`)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if k := keyorder.Keys(m); !reflect.DeepEqual(k, []string{"b", "a"}) || m["b"] != 3 {
		t.Errorf("keys %v, b=%v (want first place, last value)", k, m["b"])
	}
	if k := keyorder.Keys(m["a"].(map[string]any)); !reflect.DeepEqual(k, []string{"z", "y"}) {
		t.Errorf("inner keys %v", k)
	}
	for _, bad := range []string{`{"a": 1} x`, `{"a": }`, `[1, 2`} {
		if _, err := decodeJSONOrdered(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestDictKwargsOrder(t *testing.T) {
	s := NewScope(map[string]any{"n": 1})
	e := New()
	for i := 0; i < 20; i++ { // gonja's keyword map would give a random order
		got, err := e.Render("x{{ dict(zz=n, aa=2, mm={'b': 1, 'a': 2}) }}", s)
		if err != nil {
			t.Fatal(err)
		}
		if want := "x{'zz': 1, 'aa': 2, 'mm': {'b': 1, 'a': 2}}"; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
}
