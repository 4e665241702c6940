package playbook

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadValid loads every testdata/valid/*.yml playbook and compares its
// structure with the .json golden beside it.
func TestLoadValid(t *testing.T) {
	files, _ := filepath.Glob("testdata/valid/*.yml")
	files = append(files, "../consul.yml")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yml")
		t.Run(name, func(t *testing.T) {
			opts := testOptions()
			opts.RolesPath = []string{"testdata/valid/extra_roles"}
			pb, err := Load(f, opts)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			golden(t, "valid/"+name+".json", dump(t, pb))
		})
	}
}

// TestLoadInvalid loads every testdata/invalid/*.yml and compares the error
// text with the .err golden beside it.
func TestLoadInvalid(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yml")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yml")
		t.Run(name, func(t *testing.T) {
			_, err := Load(f, testOptions())
			if err == nil {
				t.Fatal("loaded without error")
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, want *Error: %v", err, err)
			}
			golden(t, "invalid/"+name+".err", scrub(t, err.Error()))
		})
	}
}

func TestLoadMissing(t *testing.T) {
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "missing file", path: "testdata/nope.yml", want: "ERROR! the playbook: testdata/nope.yml could not be found\n"},
		{name: "directory", path: "testdata", want: "ERROR! the playbook: testdata does not appear to be a file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path, testOptions())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %q, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadEmpty(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "empty.yml")
	if err := os.WriteFile(f, []byte("# nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(f, testOptions())
	want := "ERROR! Empty playbook, nothing to do: " + f + "\n"
	if err == nil || err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
}
