package modules

import (
	"reflect"
	"testing"
)

func TestCommandDifferential(t *testing.T) {
	vol := []string{"start", "end", "delta"}
	cases := []diffCase{
		{name: "command basics", module: "command", setup: func(t *testing.T, dir string) {
			mustWrite(t, dir+"/exists", "x")
		}, steps: []step{
			{args: map[string]any{"_raw_params": "echo hi"}, drop: vol},
			{args: map[string]any{"_raw_params": "false"}, drop: vol},
			{args: map[string]any{"_raw_params": "echo 'a  b' \"c\\\"d\" e\\ f"}, drop: vol},
			{args: map[string]any{"argv": []any{"echo", "a b"}}, drop: vol},
			{args: map[string]any{"_raw_params": "echo $HOME ~ $NOPE_NOT_SET"}, drop: vol},
			{args: map[string]any{"_raw_params": "pwd", "chdir": "@"}, drop: vol},
			{args: map[string]any{"_raw_params": "pwd", "chdir": "@/nonexist"}},
			{args: map[string]any{"_raw_params": "nonexistcmd-xyz arg"}},
			{args: map[string]any{"_raw_params": "@/exists"}},
			{args: map[string]any{"_raw_params": "cat", "stdin": "hello"}, drop: vol},
			{args: map[string]any{"_raw_params": "printf 'a\\n\\n'", "strip_empty_ends": false}, drop: vol},
			{args: map[string]any{"_raw_params": ""}},
			{args: map[string]any{"_raw_params": "x", "argv": []any{"y"}}},
			{args: map[string]any{"_raw_params": "x", "bogus": 1}},
		}},
		{name: "creates removes", module: "command", setup: func(t *testing.T, dir string) {
			mustWrite(t, dir+"/exists.txt", "x")
		}, steps: []step{
			{args: map[string]any{"_raw_params": "echo hi", "creates": "@/exists.txt"}},
			{args: map[string]any{"_raw_params": "echo hi", "creates": "@/*.txt"}},
			{args: map[string]any{"_raw_params": "echo hi", "creates": "exists.txt", "chdir": "@"}},
			{args: map[string]any{"_raw_params": "echo hi", "creates": "@/nope"}, drop: vol},
			{args: map[string]any{"_raw_params": "echo hi", "removes": "@/nope"}},
			{args: map[string]any{"_raw_params": "echo hi", "removes": "@/exists.txt"}, drop: vol},
			// Given as an argument (the task parser lifts k=v from free text
			// before templating), creates= inside _raw_params is just text.
			{args: map[string]any{"_raw_params": "echo hi creates=@/exists.txt"}, drop: vol},
		}},
		{name: "check mode", module: "command", setup: func(t *testing.T, dir string) {
			mustWrite(t, dir+"/exists.txt", "x")
		}, steps: []step{
			{args: map[string]any{"_raw_params": "echo hi"}, check: true},
			{args: map[string]any{"_raw_params": "echo hi", "creates": "@/nope"}, check: true},
			{args: map[string]any{"_raw_params": "echo hi", "creates": "@/exists.txt"}, check: true},
			{args: map[string]any{"_raw_params": "echo hi", "removes": "@/nope"}, check: true},
		}},
		{name: "shell", module: "shell", steps: []step{
			{args: map[string]any{"_raw_params": "echo hi; echo err >&2; exit 3"}, drop: vol},
			{args: map[string]any{"_raw_params": "echo $0"}, drop: vol},
			{args: map[string]any{"_raw_params": "echo $0", "executable": "/bin/bash"}, drop: vol},
			{args: map[string]any{"_raw_params": "cat", "stdin": "abc", "stdin_add_newline": false}, drop: vol},
			{args: map[string]any{"_raw_params": "echo hi > @/out; cat @/out", "creates": "@/nope"}, drop: vol},
			{args: map[string]any{"_raw_params": "nohup sleep 0 >/dev/null 2>&1 &"}, drop: vol},
			{args: map[string]any{"_raw_params": "echo hi", "warn": true}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runDiffCase(t, tc) })
	}
}

func TestShlexSplit(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{name: "plain", in: "echo a  b", want: []string{"echo", "a", "b"}},
		{name: "single quotes", in: `echo 'a "b' c`, want: []string{"echo", `a "b`, "c"}},
		{name: "double quotes escapes", in: `echo "a \"b\" \n"`, want: []string{"echo", `a "b" \n`}},
		{name: "backslash outside", in: `a\ b c\\d`, want: []string{"a b", `c\d`}},
		{name: "empty word", in: `x '' y`, want: []string{"x", "", "y"}},
		{name: "joined quotes", in: `a"b c"d`, want: []string{"ab cd"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := shlexSplit(tc.in)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("shlexSplit(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := shlexSplit(`echo "unclosed`); err == nil {
		t.Fatal("unclosed quote: want error")
	}
}
