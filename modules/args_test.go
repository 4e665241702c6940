package modules

import (
	"reflect"
	"strings"
	"testing"
)

type sampleArgs struct {
	Path  string   `arg:"path,dest,name"`
	Force bool     `arg:"force"`
	Keep  *bool    `arg:"keep"`
	Count int      `arg:"count"`
	Text  *string  `arg:"text"`
	List  []string `arg:"list"`
	Mode  any      `arg:"mode"`
	Extra *bool    `arg:"extra" hide:"1"`
}

func TestDecodeArgs(t *testing.T) {
	yes, no := true, false
	empty := ""
	cases := []struct {
		name    string
		args    map[string]any
		want    sampleArgs
		wantErr string
	}{
		{name: "alias", args: map[string]any{"dest": "/x"}, want: sampleArgs{Path: "/x"}},
		{name: "primary wins over alias", args: map[string]any{"name": "/a", "path": "/b"}, want: sampleArgs{Path: "/b"}},
		{name: "bool strings", args: map[string]any{"force": "yes", "keep": "False"}, want: sampleArgs{Force: true, Keep: &no}},
		{name: "bool ints", args: map[string]any{"force": 1, "keep": "on"}, want: sampleArgs{Force: true, Keep: &yes}},
		{name: "int from string", args: map[string]any{"count": "42"}, want: sampleArgs{Count: 42}},
		{name: "int from whole float", args: map[string]any{"count": 3.0}, want: sampleArgs{Count: 3}},
		{name: "empty string is set", args: map[string]any{"text": ""}, want: sampleArgs{Text: &empty}},
		{name: "null is unset", args: map[string]any{"text": nil}, want: sampleArgs{}},
		{name: "str from int", args: map[string]any{"path": 12}, want: sampleArgs{Path: "12"}},
		{name: "str from bool", args: map[string]any{"path": true}, want: sampleArgs{Path: "True"}},
		{name: "list from csv", args: map[string]any{"list": "a,b"}, want: sampleArgs{List: []string{"a", "b"}}},
		{name: "list", args: map[string]any{"list": []any{"a", 1}}, want: sampleArgs{List: []string{"a", "1"}}},
		{name: "raw mode kept", args: map[string]any{"mode": 0o755}, want: sampleArgs{Mode: 0o755}},
		{name: "hidden accepted", args: map[string]any{"extra": "no"}, want: sampleArgs{Extra: &no}},
		{name: "unknown", args: map[string]any{"zz": 1, "aa": 2},
			wantErr: "Unsupported parameters for (sample) module: aa, zz. Supported parameters include: count, force, keep, list, mode, path, text (dest, name)."},
		{name: "bad bool", args: map[string]any{"force": "maybe"},
			wantErr: "argument 'force' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean."},
		{name: "bad int", args: map[string]any{"count": "x"},
			wantErr: "argument 'count' is of type <class 'str'> and we were unable to convert to int: invalid literal for int() with base 10: 'x'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got sampleArgs
			err := decodeArgs("sample", tc.args, &got)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want prefix %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
