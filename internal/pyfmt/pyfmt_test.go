package pyfmt

import (
	"errors"
	"math"
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

func TestFloat(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"integral", 1, "1.0"},
		{"half", 2.5, "2.5"},
		{"big", 1e20, "1e+20"},
		{"limit below", 1e15, "1000000000000000.0"},
		{"limit", 1e16, "1e+16"},
		{"small", 0.0001, "0.0001"},
		{"smaller", 0.00001, "1e-05"},
		{"shortest", 0.1, "0.1"},
		{"precise", 123456789.123456789, "123456789.12345679"},
		{"negative small", -1.5e-7, "-1.5e-07"},
		{"inf", math.Inf(1), "Infinity"},
		{"negative zero", math.Copysign(0, -1), "-0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Float(tt.in); got != tt.want {
				t.Errorf("Float(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFloatRepr(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{name: "integral", in: 3, want: "3.0"},
		{name: "big", in: 1e16, want: "1e+16"},
		{name: "inf", in: math.Inf(1), want: "inf"},
		{name: "negative inf", in: math.Inf(-1), want: "-inf"},
		{name: "nan", in: math.NaN(), want: "nan"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FloatRepr(tc.in); got != tc.want {
				t.Errorf("FloatRepr(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "plain", in: "abc", want: "'abc'"},
		{name: "single quote", in: "it's", want: `"it's"`},
		{name: "both quotes", in: `it's "x"`, want: `'it\'s "x"'`},
		{name: "backslash and controls", in: "a\\b\n\t\x01\x7f", want: `'a\\b\n\t\x01\x7f'`},
		{name: "printable non-ascii", in: "é✓", want: "'é✓'"},
		{name: "non-printable non-ascii", in: "\u0085\u200b", want: `'\x85\u200b'`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Quote(tc.in); got != tc.want {
				t.Errorf("Quote(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestJSONStrings(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "control", in: "\x01", want: `"\u0001"`},
		{name: "replacement character kept", in: "\ufffd", want: "\"\ufffd\""},
		{name: "invalid byte escaped", in: "a\xffb", want: `"a\ufffdb"`},
		{name: "non-finite floats", in: []any{math.Inf(1), math.NaN()}, want: "[Infinity, NaN]"},
		{name: "other ints", in: []int64{1, -2}, want: "[1, -2]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := JSON(tc.in, 0); got != tc.want {
				t.Errorf("JSON(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

type scope struct{}

func TestReprWith(t *testing.T) {
	other := func(v any) (string, bool) {
		if _, ok := v.(scope); ok {
			return "Scope", true
		}
		return "", false
	}
	in := []any{scope{}, map[string]any{"k": scope{}}, int8(3)}
	if got, want := ReprWith(in, other), "[Scope, {'k': Scope}, 3]"; got != want {
		t.Errorf("ReprWith = %s, want %s", got, want)
	}
}

func TestDumps(t *testing.T) {
	v := ordered(map[string]any{"z": "é😀\x7f", "a": []any{1}}, "z", "a")
	errOther := func(v any) (any, error) { return nil, errors.New("not serializable") }
	tests := []struct {
		name    string
		d       Dumps
		in      any
		want    string
		wantErr string
	}{
		{name: "recorded order", d: Dumps{Indent: -1}, in: v, want: "{\"z\": \"é😀\x7f\", \"a\": [1]}"},
		{name: "ensure ascii", d: Dumps{Indent: -1, SortKeys: true, EnsureASCII: true}, in: v, want: `{"a": [1], "z": "\u00e9\ud83d\ude00\u007f"}`},
		{name: "indent zero", d: Dumps{Indent: 0, SortKeys: true}, in: v, want: "{\n\"a\": [\n1\n],\n\"z\": \"é😀\x7f\"\n}"},
		{name: "other converts", d: Dumps{Indent: -1, Other: func(any) (any, error) { return "x", nil }}, in: []any{struct{}{}}, want: `["x"]`},
		{name: "other fails", d: Dumps{Indent: -1, Other: errOther}, in: []any{struct{}{}}, wantErr: "not serializable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.d.String(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
