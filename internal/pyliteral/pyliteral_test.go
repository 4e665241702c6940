package pyliteral

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
)

func TestParse(t *testing.T) {
	strKey := func(k any) (string, bool) { return fmt.Sprint(k), true }
	tests := []struct {
		name string
		in   string
		opt  Options
		want any // unused when err
		err  bool
	}{
		{name: "int", in: "42", want: 42},
		{name: "signed float", in: "- 1.5", want: -1.5},
		{name: "overflow is inf", in: "1e400", want: math.Inf(1)},
		{name: "double sign", in: "--1", err: true},
		{name: "leading zero", in: "017", err: true},
		{name: "parenthesised", in: "[(1), (2,)]", want: []any{1, []any{2}}},
		{name: "set", in: "{1, 'a'}", want: []any{1, "a"}},
		{name: "empty set", in: "set()", want: []any{}},
		{name: "bytes become text", in: "[b'x', 'y' 'z']", want: []any{"x", "yz"}},
		{name: "bytes and str do not mix", in: "b'x' 'y'", err: true},
		{name: "newlines and comments", in: "[1, # one\n 2,\\\n 3] # end", want: []any{1, 2, 3}},
		{name: "json names off", in: "[true]", err: true},
		{name: "json names on", in: "[true, false, null]", opt: Options{JSONNames: true}, want: []any{true, false, nil}},
		{name: "json keys by default", in: "{1: 'a', True: 'b', None: 'c', 2.0: 'd'}", want: map[string]any{"1": "a", "true": "b", "null": "c", "2.0": "d"}},
		{name: "caller keys", in: "{True: 1}", opt: Options{Key: strKey}, want: map[string]any{"true": 1}},
		{name: "unhashable key", in: "{[1]: 2}", err: true},
		{name: "trailing text", in: "[1] x", err: true},
		{name: "unterminated", in: "'a", err: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in, tc.opt)
			if tc.err {
				if !errors.Is(err, ErrNotLiteral) {
					t.Fatalf("Parse(%q) = %#v, %v; want ErrNotLiteral", tc.in, got, err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %#v, %v; want %#v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseKeepsKeyOrder(t *testing.T) {
	v, err := Parse("{'b': 1, 'a': 2, 'b': 3, 'c': 4}", Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if got, want := keyorder.Keys(m), []string{"b", "a", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	if m["b"] != 3 {
		t.Errorf("repeated key keeps the last value: got %v", m["b"])
	}
}

func TestJSONKey(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
		ok   bool
	}{
		{name: "string", in: "a", want: "a", ok: true},
		{name: "int", in: 1, want: "1", ok: true},
		{name: "float", in: 1e6, want: "1000000.0", ok: true},
		{name: "inf", in: math.Inf(1), want: "Infinity", ok: true},
		{name: "bool", in: false, want: "false", ok: true},
		{name: "none", in: nil, want: "null", ok: true},
		{name: "list", in: []any{}, ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := JSONKey(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("JSONKey(%v) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
