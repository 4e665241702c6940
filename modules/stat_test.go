package modules

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func statFixture(t *testing.T, dir string) {
	editFixture(t, dir)
	mustWrite(t, filepath.Join(dir, "exe"), "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(dir, "exe"), 0o4751); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
}

// statVolatile are the stat keys that differ between two copies of the
// same tree (compared for presence only).
var statVolatile = []string{"atime", "mtime", "ctime", "inode", "version"}

func TestStatDifferential(t *testing.T) {
	steps := []map[string]any{
		{"path": "@/f"},
		{"path": "@/d"},
		{"path": "@/link"},
		{"path": "@/link", "follow": true},
		{"path": "@/dangling"},
		{"path": "@/dangling", "follow": true},
		{"path": "@/missing"},
		{"path": "@/exe", "get_checksum": false, "get_mime": false, "get_attributes": false},
		{"dest": "@/f", "checksum_algorithm": "sha256", "get_md5": true},
		{"name": "@/empty", "checksum": "md5", "mime": false, "attr": false},
		{"path": "/dev/null"},
		{"path": "@/f", "checksum_algorithm": "crc"},
		{"path": "@/f", "bogus": 1},
		{},
	}
	ad, gd := t.TempDir(), t.TempDir()
	statFixture(t, ad)
	statFixture(t, gd)
	for i, args := range steps {
		want := ansible(t, "stat", sub(args, ad))
		got := runMod(t, testEnv(t), "stat", sub(args, gd))
		w, g := normalize(want, ad), normalize(got, gd)
		for _, m := range []map[string]any{w, g} {
			if st, ok := m["stat"].(map[string]any); ok {
				for _, k := range statVolatile {
					if _, ok := st[k]; ok {
						st[k] = "<present>"
					}
				}
			}
		}
		diffResults(t, fmt.Sprintf("stat step %d %v", i+1, args), w, g)
	}
}
