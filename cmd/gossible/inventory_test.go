package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInventoryCommand(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := os.WriteFile(inv, []byte("[consul]\n10.0.0.1 a=1\n10.0.0.[2:3]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANSIBLE_CONFIG", filepath.Join(dir, "none.cfg"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{name: "graph", args: []string{"inventory", "-i", inv, "--graph"}, code: 0,
			want: "@all:\n  |--@ungrouped:\n  |--@consul:\n  |  |--10.0.0.1\n  |  |--10.0.0.2\n  |  |--10.0.0.3\n"},
		{name: "graph group", args: []string{"inventory", "-i", inv, "--graph", "consul"}, code: 0, want: "@consul:\n"},
		{name: "host", args: []string{"inventory", "-i", inv, "--host", "10.0.0.1"}, code: 0, want: `"a": 1`},
		{name: "list", args: []string{"inventory", "-i", inv, "--list"}, code: 0, want: `"hosts": [`},
		{name: "no action", args: []string{"inventory", "-i", inv}, code: 5, want: "No action selected"},
		{name: "unknown group", args: []string{"inventory", "-i", inv, "--graph", "nope"}, code: 1, want: "ERROR!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String()+errb.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, out.String(), errb.String())
			}
		})
	}
}
