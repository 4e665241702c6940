package inventory

import (
	"math"
	"reflect"
	"testing"
)

func TestINIValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{"int", "42", 42},
		{"negative", "-7", -7},
		{"plus", "+3", 3},
		{"float", "1.5", 1.5},
		{"exponent", "1e3", 1000.0},
		{"overflow is inf", "1e400", math.Inf(1)},
		{"hex", "0x1F", 31},
		{"octal prefix", "0o17", 15},
		{"binary", "0b101", 5},
		{"underscores", "1_000", 1000},
		{"zeros", "000", 0},
		{"leading zero is a string", "010", "010"},
		{"bad underscore", "1__0", "1__0"},
		{"True", "True", true},
		{"False", "False", false},
		{"None", "None", nil},
		{"lowercase true stays", "true", "true"},
		{"single quoted", "'x y'", "x y"},
		{"double quoted", `"5"`, "5"},
		{"concatenation", `'a' "b"`, "ab"},
		{"escapes", `'a\tb\n\x41\u00e9'`, "a\tb\nAé"},
		{"unknown escape kept", `'\d'`, `\d`},
		{"raw string", `r'\d+'`, `\d+`},
		{"bytes", `b'raw'`, "raw"},
		{"triple quoted", `'''it's'''`, "it's"},
		{"list", "[1, 'two', 3.0]", []any{1, "two", 3.0}},
		{"tuple", "(1, 2)", []any{1, 2}},
		{"one tuple", "(1,)", []any{1}},
		{"parenthesised", "(5)", 5},
		{"negative parenthesised", "-(5)", -5},
		{"dict", "{'a': {'b': [True, None]}}", map[string]any{"a": map[string]any{"b": []any{true, nil}}}},
		{"dict int keys", "{1: 'one'}", map[string]any{"1": "one"}},
		{"empty dict", "{}", map[string]any{}},
		{"empty list", "[]", []any{}},
		{"trailing comma", "[1, 2,]", []any{1, 2}},
		{"comment after value", "5 # five", 5},
		{"words stay", "hello world", "hello world"},
		{"name stays", "none", "none"},
		{"leading space keeps raw", "  lead", "  lead"},
		{"leading space value", "  5", 5},
		{"json null is not python", `{"a": null}`, `{"a": null}`},
		{"empty", "", ""},
		{"sign on string", "-'a'", "-'a'"},
		{"double sign", "--5", "--5"},
		{"signed bool", "-True", "-True"},
		{"complex stays raw", "1j", "1j"},
		{"binop stays raw", "1-2", "1-2"},
		{"template stays", "{{ x }}", "{{ x }}"},
		{"unterminated", "'abc", "'abc"},
		{"mixed bytes and str", `b'a' 'b'`, `b'a' 'b'`},
		{"f-string stays", "f'x'", "f'x'"},
		{"set becomes list", "{1, 2}", []any{1, 2}},
		{"empty set", "set()", []any{}},
		{"big int stays raw", "99999999999999999999", "99999999999999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := iniValue(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("iniValue(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestShlexSplit(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{"plain", "a b=1  c", []string{"a", "b=1", "c"}, false},
		{"double quotes", `h x="a b"`, []string{"h", "x=a b"}, false},
		{"single quotes keep backslash", `h x='a\tb'`, []string{"h", `x=a\tb`}, false},
		{"escaped quote in double", `h x="a\"b"`, []string{"h", `x=a"b`}, false},
		{"backslash kept in double", `h x="a\db"`, []string{"h", `x=a\db`}, false},
		{"backslash outside quotes", `h x=a\ b`, []string{"h", "x=a b"}, false},
		{"comment", "h a=1 # c d", []string{"h", "a=1"}, false},
		{"comment glued", "h a=v#c b=2", []string{"h", "a=v"}, false},
		{"hash in quotes", `h a="#x"`, []string{"h", "a=#x"}, false},
		{"empty quoted", `h a=''`, []string{"h", "a="}, false},
		{"only quotes", `''`, []string{""}, false},
		{"unterminated", `h a="x`, nil, true},
		{"dangling escape", `h a=\`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := shlexSplit(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("shlexSplit(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("shlexSplit(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
