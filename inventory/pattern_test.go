package inventory

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func loadString(t *testing.T, name, content string) *Inventory {
	t.Helper()
	path := writeFile(t, filepath.Join(t.TempDir(), name), content)
	inv, err := Load([]string{path})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return inv
}

const patternInv = `lone
[web]
web1
web2
web3
[db]
db1
web2
[prod:children]
web
db
`

func hostNames(hs []*Host) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Name)
	}
	return out
}

func TestSelect(t *testing.T) {
	inv := loadString(t, "hosts", patternInv)
	tests := []struct {
		name    string
		pattern string
		want    []string
		wantErr string
	}{
		{"all", "all", []string{"lone", "web1", "web2", "web3", "db1"}, ""},
		{"star", "*", []string{"lone", "web1", "web2", "web3", "db1"}, ""},
		{"group", "db", []string{"db1", "web2"}, ""},
		{"host", "web3", []string{"web3"}, ""},
		{"glob class", "web[!1]", []string{"web2", "web3"}, ""},
		{"glob one char", "web?", []string{"web1", "web2", "web3"}, ""},
		{"bracket number is a subscript", "web[12]", nil, "no hosts matched the subscripted pattern"},
		{"glob groups and hosts", "w*", []string{"web1", "web2", "web3"}, ""},
		{"union colon", "db:lone", []string{"db1", "web2", "lone"}, ""},
		{"union comma", "lone, db", []string{"lone", "db1", "web2"}, ""},
		{"intersection", "web:&db", []string{"web2"}, ""},
		{"exclusion", "prod:!db", []string{"web1", "web3"}, ""},
		{"exclusion first", "!db:web", []string{"web1", "web3"}, ""},
		{"only exclusion means all", "!web", []string{"lone", "db1"}, ""},
		{"regex", "~web[13]", []string{"web1", "web3"}, ""},
		{"regex anchored at start only", "~eb", []string{}, ""},
		{"index", "web[0]", []string{"web1"}, ""},
		{"negative index", "web[-1]", []string{"web3"}, ""},
		{"slice", "web[1:2]", []string{"web2", "web3"}, ""},
		{"open slice", "web[1:]", []string{"web2", "web3"}, ""},
		{"slice past end", "web[1:9]", []string{"web2", "web3"}, ""},
		{"zero end is an index", "web[2:0]", []string{"web3"}, ""},
		{"index past end", "web[5]", nil, "no hosts matched the subscripted pattern 'web[5]'"},
		{"unknown", "nosuch", []string{}, ""},
		{"unknown with known", "nosuch:lone", []string{"lone"}, ""},
		{"ungrouped", "ungrouped", []string{"lone"}, ""},
		{"bad regex", "~(", nil, "invalid host list pattern"},
		{"implicit localhost", "localhost", []string{"localhost"}, ""},
		{"host:port is one pattern", "lone:22", []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs, err := inv.Select(tt.pattern)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Select(%q) error = %v, want %q", tt.pattern, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Select(%q): %v", tt.pattern, err)
			}
			if got := hostNames(hs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Select(%q) = %q, want %q", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestUnmatchedPatterns(t *testing.T) {
	inv := loadString(t, "hosts", patternInv)
	tests := []struct {
		name    string
		pattern string
		want    []string
	}{
		{"all known", "web:db:lone", nil},
		{"one unknown", "web:nosuch", []string{"nosuch"}},
		{"excluded unknown", "all:!ghost", []string{"ghost"}},
		{"glob matching nothing", "x*", []string{"x*"}},
		{"all is never unmatched", "all", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inv.UnmatchedPatterns(tt.pattern); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("UnmatchedPatterns(%q) = %q, want %q", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestImplicitLocalhost(t *testing.T) {
	inv := loadString(t, "hosts", "[web]\nweb1\n[all:vars]\nx=1\n")
	h, ok := inv.Host("localhost")
	if !ok || !h.Implicit || h.Vars["ansible_connection"] != "local" {
		t.Fatalf("Host(localhost) = %+v, %v; want the implicit local host", h, ok)
	}
	if h2, _ := inv.Host("127.0.0.1"); h2 != h {
		t.Errorf("127.0.0.1 should resolve to the same implicit localhost")
	}
	for _, x := range inv.Hosts() {
		if x.Implicit {
			t.Errorf("implicit localhost must not be in all")
		}
	}
	if got := inv.Groups()["all"]; !reflect.DeepEqual(got, []string{"web1"}) {
		t.Errorf("groups.all = %q", got)
	}
	layers := inv.VarLayers("localhost")
	if len(layers) != 2 || layers[0]["x"] != 1 || layers[1]["ansible_connection"] != "local" {
		t.Errorf("implicit localhost layers = %v", layers)
	}
	if _, ok := inv.Host("nosuch"); ok {
		t.Errorf("Host(nosuch) found")
	}
}

// TestConcurrentReads: the executor reads one inventory from many
// goroutines (forks); run with -race.
func TestConcurrentReads(t *testing.T) {
	inv := loadString(t, "hosts", patternInv)
	done := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 20; j++ {
				if _, err := inv.Select("prod:!db:localhost"); err != nil {
					done <- err
					return
				}
				inv.VarLayers("web2")
				inv.VarLayers("localhost")
				inv.Groups()
				inv.GroupNames("web2")
				if _, err := inv.ListJSON(); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
