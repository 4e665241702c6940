package pyfmt

import (
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
)

// ordered returns m with keys recorded as its order, as the YAML decoder does.
func ordered(m map[string]any, keys ...string) map[string]any {
	keyorder.Record(m, keys)
	return m
}

func TestJSON(t *testing.T) {
	// recorded order is ignored: the callbacks dump with sort_keys=True
	v := ordered(map[string]any{"b": []any{1, "x\n\"y\"", true, nil}, "a": map[string]any{}, "c": 1.5, "d": 2.0, "é": []any{}}, "é", "d", "c", "b", "a")
	tests := []struct {
		name   string
		indent int
		want   string
	}{
		{name: "compact", indent: 0, want: `{"a": {}, "b": [1, "x\n\"y\"", true, null], "c": 1.5, "d": 2.0, "é": []}`},
		{name: "indented", indent: 4, want: "{\n    \"a\": {},\n    \"b\": [\n        1,\n        \"x\\n\\\"y\\\"\",\n        true,\n        null\n    ],\n    \"c\": 1.5,\n    \"d\": 2.0,\n    \"é\": []\n}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := JSON(v, tc.indent); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestStr(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "string bare", in: "/data/consul/data", want: "/data/consul/data"},
		{name: "int", in: 3, want: "3"},
		{name: "bool", in: true, want: "True"},
		{name: "none", in: nil, want: "None"},
		{name: "dict", in: map[string]any{"src": "consul", "mode": "0755"}, want: "{'mode': '0755', 'src': 'consul'}"},
		{name: "list with quote", in: []any{"it's", 1.0, false}, want: `["it's", 1.0, False]`},
		// Ansible 2.14: (item={'src': 'consul', 'dest': '/usr/local/bin/consul', 'mode': '0755'})
		{name: "dict in written order", in: ordered(map[string]any{"src": "consul", "dest": "/usr/local/bin/consul", "mode": "0755"}, "src", "dest", "mode"),
			want: "{'src': 'consul', 'dest': '/usr/local/bin/consul', 'mode': '0755'}"},
		{name: "nested dicts in written order", in: []any{ordered(map[string]any{"key": "zeta", "value": ordered(map[string]any{"y": 2, "b": 3}, "y", "b")}, "key", "value")},
			want: "[{'key': 'zeta', 'value': {'y': 2, 'b': 3}}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Str(tc.in); got != tc.want {
				t.Errorf("Str(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
