package yamlvars

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/vault"
)

var testSecrets = []vault.Secret{{ID: vault.DefaultID, Password: []byte("secret")}}

func TestDecodeTyping(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
	}{
		{name: "yaml 1.1 booleans", in: "a: yes\nb: No\nc: on\nd: OFF\ne: True\nf: y", want: map[string]any{"a": true, "b": false, "c": true, "d": false, "e": true, "f": "y"}},
		{name: "quoted stays string", in: `a: "yes"` + "\nb: '0644'", want: map[string]any{"a": "yes", "b": "0644"}},
		{name: "octal hex binary", in: "a: 0644\nb: 0x1f\nc: 0b11\nd: 0o17\ne: 0128", want: map[string]any{"a": 420, "b": 31, "c": 3, "d": "0o17", "e": "0128"}},
		{name: "sexagesimal", in: "a: 1:30\nb: 1:30.5", want: map[string]any{"a": 90, "b": 90.5}},
		{name: "floats need a dot and a signed exponent", in: "a: 1.5\nb: 1.0e5\nc: 1.5e+3\nd: 1e3\ne: .5", want: map[string]any{"a": 1.5, "b": "1.0e5", "c": 1500.0, "d": "1e3", "e": 0.5}},
		{name: "nulls", in: "a: ~\nb: null\nc:\nd: NULL", want: map[string]any{"a": nil, "b": nil, "c": nil, "d": nil}},
		{name: "explicit tags", in: "a: !!str 12\nb: !!float 3\nc: !!int '7'\nd: !unsafe '{{ x }}'", want: map[string]any{"a": "12", "b": 3.0, "c": 7, "d": "{{ x }}"}},
		{name: "big int keeps text", in: "a: 123456789012345678901234567890", want: map[string]any{"a": "123456789012345678901234567890"}},
		{name: "typed keys", in: "1: a\nyes: b\n~: c", want: map[string]any{"1": "a", "true": "b", "null": "c"}},
		{name: "merge keys", in: "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3", want: map[string]any{"base": map[string]any{"x": 1, "y": 2}, "m": map[string]any{"x": 1, "y": 3}}},
		{name: "merge list earlier wins", in: "m:\n  <<: [{a: 1}, {a: 2, b: 2}]", want: map[string]any{"m": map[string]any{"a": 1, "b": 2}}},
		{name: "json numbers and strings", in: `{"a": 0644, "b": "yes", "c": 1e3, "d": [true, null]}`, want: nil},
		{name: "json typing", in: `{"a": 10, "b": "yes", "c": 1e3, "d": [true, null], "e": 1.5}`, want: map[string]any{"a": 10, "b": "yes", "c": 1000.0, "d": []any{true, nil}, "e": 1.5}},
		{name: "json-looking yaml", in: `{a: yes, b: 0644}`, want: map[string]any{"a": true, "b": 420}},
		{name: "empty", in: "# nothing\n", want: nil},
		{name: "list", in: "- 1\n- on", want: []any{1, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode([]byte(tc.in), "t.yml", Options{})
			if tc.name == "json numbers and strings" {
				// 0644 is not JSON, so the text is YAML: flow mapping, YAML 1.1 typing
				want := map[string]any{"a": 420, "b": "yes", "c": "1e3", "d": []any{true, nil}}
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("Decode = %#v, %v; want %#v", got, err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Decode = %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestDecodeInf(t *testing.T) {
	got, err := Decode([]byte("a: -.inf\nb: .NaN"), "t.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if f, _ := m["a"].(float64); !math.IsInf(f, -1) {
		t.Errorf("a = %#v, want -Inf", m["a"])
	}
	if f, _ := m["b"].(float64); !math.IsNaN(f) {
		t.Errorf("b = %#v, want NaN", m["b"])
	}
}

func TestKeyOrder(t *testing.T) {
	data := readTestdata(t, "order.yml")
	got, err := Decode(data, "order.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if k := keyorder.Keys(m); !reflect.DeepEqual(k, []string{"zeta", "alpha", "mid"}) {
		t.Errorf("top keys = %v", k)
	}
	if k := keyorder.Keys(m["mid"].(map[string]any)); !reflect.DeepEqual(k, []string{"y", "x"}) {
		t.Errorf("nested keys = %v", k)
	}
}

func TestDuplicateKeyWarning(t *testing.T) {
	var warnings []string
	got, err := Decode([]byte("b: 1\na: 2\nb: 3\n"), "dup.yml", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	m := got.(map[string]any)
	if m["b"] != 3 || !reflect.DeepEqual(keyorder.Keys(m), []string{"b", "a"}) {
		t.Errorf("got %v in order %v, want b=3 first", m, keyorder.Keys(m))
	}
	want := "While constructing a mapping from dup.yml, line 1, column 1, found a duplicate dict key (b). Using last defined value only."
	if len(warnings) != 1 || warnings[0] != want {
		t.Errorf("warnings = %q", warnings)
	}
}

func TestVault(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		secrets []vault.Secret
		want    map[string]any
		wantErr string
		line    int
		cause   error
	}{
		{name: "whole file", file: "vaulted.yml", secrets: testSecrets, want: map[string]any{"db_password": "s3cret", "port": 420, "flags": map[string]any{"a": true, "z": 1}}},
		{name: "file without secrets", file: "vaulted.yml", wantErr: "vaulted.yml:1: Attempting to decrypt but no vault secrets found", line: 1, cause: vault.ErrNoSecrets},
		{name: "file wrong password", file: "vaulted.yml", secrets: []vault.Secret{{ID: "default", Password: []byte("nope")}}, wantErr: "vaulted.yml:1: Decryption failed", line: 1, cause: vault.ErrWrongPassword},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeMap(readTestdata(t, tc.file), tc.file, Options{Secrets: tc.secrets})
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tc.wantErr) || e.Line != tc.line || !errors.Is(err, tc.cause) {
					t.Fatalf("err = %v, want prefix %q at line %d wrapping %v", err, tc.wantErr, tc.line, tc.cause)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

// A !vault value is kept encrypted: loading needs no (right) password, the
// value opens when used, and its errors come then.
func TestVaultValueLazy(t *testing.T) {
	tests := []struct {
		name    string
		secrets []vault.Secret
		want    string
		cause   error
	}{
		{name: "right password", secrets: testSecrets, want: "hunter2"},
		{name: "wrong password", secrets: []vault.Secret{{ID: "default", Password: []byte("nope")}}, cause: vault.ErrWrongPassword},
		{name: "no password", cause: vault.ErrNoSecrets},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeMap(readTestdata(t, "inline.yml"), "inline.yml", Options{Secrets: tc.secrets})
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if got["name"] != "app" || got["enabled"] != true {
				t.Fatalf("plain values: %#v", got)
			}
			v, ok := got["api_key"].(*vault.Value)
			if !ok {
				t.Fatalf("api_key = %#v, want a *vault.Value", got["api_key"])
			}
			if !strings.HasPrefix(v.Ciphertext(), "$ANSIBLE_VAULT;1.1;AES256\n") {
				t.Fatalf("ciphertext = %q", v.Ciphertext())
			}
			pt, err := v.Decrypt()
			if tc.cause != nil {
				if !errors.Is(err, tc.cause) {
					t.Fatalf("Decrypt err = %v, want %v", err, tc.cause)
				}
				return
			}
			if err != nil || pt != tc.want {
				t.Fatalf("Decrypt = %q, %v; want %q", pt, err, tc.want)
			}
		})
	}
}

func TestVaultTagOnMapping(t *testing.T) {
	_, err := Decode([]byte("a: !vault {x: 1}\n"), "m.yml", Options{Secrets: testSecrets})
	if err == nil || !strings.Contains(err.Error(), "m.yml:1:4: !vault must tag a string") {
		t.Fatalf("err = %v", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opts      Options
		wantMsg   string
		line, col int
	}{
		{name: "syntax", in: string(readTestdata(t, "syntax.yml")), wantMsg: "yaml syntax error", line: 2},
		{name: "two documents", in: "a: 1\n---\nb: 2\n", wantMsg: "expected a single document", line: 2, col: 1},
		{name: "unknown tag", in: "a: !foo bar\n", wantMsg: "gossible does not support the YAML tag '!foo' yet", line: 1, col: 4},
		{name: "bad int tag", in: "a: !!int abc\n", wantMsg: `invalid !!int value "abc"`, line: 1, col: 4},
		{name: "unsafe template rejected", in: "a: !unsafe '{{ x }}'\n", opts: Options{RejectUnsafeTemplates: true}, wantMsg: "'!unsafe' on a value holding a template", line: 1, col: 4},
		{name: "bad merge", in: "a:\n  <<: 3\n", wantMsg: "a merge key (<<) must refer to a mapping", line: 2, col: 7},
		{name: "list key", in: "? [a]\n: 1\n", wantMsg: "a mapping key must be a plain value", line: 1, col: 3},
		{name: "alias loop", in: "a: &x [*x]\n", wantMsg: "", line: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in), "f.yml", tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T %v, want *Error", err, err)
			}
			if tc.wantMsg == "" {
				return // only: an error, not a hang or a crash
			}
			if e.File != "f.yml" || e.Line != tc.line || e.Col != tc.col || !strings.Contains(e.Msg, tc.wantMsg) {
				t.Fatalf("err = %q at %s:%d:%d, want %q at f.yml:%d:%d", e.Msg, e.File, e.Line, e.Col, tc.wantMsg, tc.line, tc.col)
			}
		})
	}
}

func TestDecodeMapRejectsList(t *testing.T) {
	_, err := DecodeMap([]byte("- a\n"), "l.yml", Options{})
	if err == nil || !strings.Contains(err.Error(), "l.yml: expected a mapping of variables, got list") {
		t.Fatalf("err = %v", err)
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
