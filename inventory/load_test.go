package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadErrors checks that malformed inventories give a *ParseError
// naming the file, the line (and column for YAML structure errors), the
// offending text and a hint.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		content  string
		wantLine int
		wantCol  int
		wantMsg  string
		wantHint bool
	}{
		{"bad range", "hosts", "[web]\nok1\n10.0.0.[3:1]\n", 3, 0, "begin is after end", true},
		{"unterminated quote", "hosts", "[web]\nh1 a=\"x\n", 2, 0, "no closing quotation", true},
		{"not key=value", "hosts", "h1 novalue\n", 1, 0, "expected key=value host variable assignment, got: novalue", true},
		{"unknown section type", "hosts", "[web:foo]\n", 1, 0, "has unknown type: foo", true},
		{"section with space", "hosts", "[web servers]\n", 1, 0, "invalid section entry", true},
		{"vars line", "hosts", "[web]\nh\n[web:vars]\nnovalue\n", 4, 0, "expected key=value, got: novalue", true},
		{"vars of undefined group", "hosts", "[ghost:vars]\na=1\n", 1, 0, "section [ghost:vars] not valid for undefined group: ghost", true},
		{"undefined child", "hosts", "[p:children]\nc1\n", 2, 0, "section [p:children] includes undefined group: c1", true},
		{"bad child name", "hosts", "[p:children]\na:b\n", 2, 0, "expected group name, got: a:b", true},
		{"trailing colon", "hosts", "[web]\nweb1:\n", 2, 0, "ending in ':' is not allowed", true},
		{"yaml in ini", "hosts", "---\n", 1, 0, "'---' is normally a sign this is a YAML file", true},
		{"loop", "hosts", "[a:children]\nb\n[b:children]\na\n", 4, 0, "recursive dependency loop", false},
		{"yaml syntax", "inv.yml", "all:\n  hosts:\n    h1:\n   bad: [\n", 4, 0, "yaml syntax error", true},
		{"yaml hosts list", "inv.yml", "all:\n  hosts:\n    - h1\n", 3, 5, `invalid "hosts" entry for "all" group, requires a dictionary, found "list" instead`, true},
		{"yaml float host", "inv.yml", "all:\n  hosts:\n    10.5:\n", 3, 5, "must be a string", true},
		{"yaml range", "inv.yml", "all:\n  hosts:\n    web[5:1]:\n", 3, 5, "begin is after end", true},
		{"yaml host vars not a mapping", "inv.yml", "all:\n  hosts:\n    h1: text\n", 3, 9, "expected dictionary", true},
		{"plugin config", "inv.yml", "plugin: aws_ec2\nregions: [x]\n", 1, 1, "plugin configuration YAML file", true},
		{"yaml list root", "inv.yml", "- a\n- b\n", 1, 1, "it should be a dictionary, got: list", false},
		{"script", "inv.sh", "#!/bin/sh\necho '{}'\n", 1, 0, "inventory scripts are not supported", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), tt.file), tt.content)
			inv, err := Load([]string{path})
			if inv == nil {
				t.Fatal("Load returned no inventory with its error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Load error = %v (%T), want *ParseError", err, err)
			}
			if pe.File != path || pe.Line != tt.wantLine || pe.Col != tt.wantCol {
				t.Errorf("position = %s:%d:%d, want %s:%d:%d", pe.File, pe.Line, pe.Col, path, tt.wantLine, tt.wantCol)
			}
			if !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("message = %q, want containing %q", pe.Msg, tt.wantMsg)
			}
			if wantText := strings.TrimSpace(strings.Split(tt.content, "\n")[tt.wantLine-1]); pe.Text != wantText {
				t.Errorf("text = %q, want the offending line %q", pe.Text, wantText)
			}
			if (pe.Hint != "") != tt.wantHint {
				t.Errorf("hint = %q, want hint: %v", pe.Hint, tt.wantHint)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+":") || strings.Contains(msg, "\n") {
				t.Errorf("Error() = %q, want one line starting with the file", msg)
			}
		})
	}
}

func TestLoadKeepsOtherSources(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "good"), "[web]\nw1\n")
	bad := writeFile(t, filepath.Join(dir, "bad"), "[web]\nw[2:1]\n")
	missing := filepath.Join(dir, "missing")
	inv, err := Load([]string{good, bad, missing})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("want a *ParseError, got %v", err)
	}
	if !strings.Contains(err.Error(), "missing: unable to parse as an inventory source: no such file or directory") {
		t.Errorf("missing source not reported: %v", err)
	}
	if _, ok := inv.Host("w1"); !ok {
		t.Errorf("hosts of the good source are lost")
	}
}

func TestLoadHostList(t *testing.T) {
	inv, err := Load([]string{"a.example.com,b:2222,[::1]:2200,"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, h := range inv.Hosts() {
		names = append(names, h.Name)
	}
	if want := []string{"a.example.com", "b", "::1"}; !reflect.DeepEqual(names, want) {
		t.Errorf("hosts = %q, want %q", names, want)
	}
	b, _ := inv.Host("b")
	if b.Port != 2222 || b.Vars["ansible_port"] != 2222 {
		t.Errorf("b port = %d, vars %v; want 2222", b.Port, b.Vars)
	}
	if got := inv.GroupNames("b"); !reflect.DeepEqual(got, []string{"ungrouped"}) {
		t.Errorf("group_names = %q, want [ungrouped]", got)
	}
	if b.InventoryFile != "" {
		t.Errorf("host list hosts have no inventory_file, got %q", b.InventoryFile)
	}
	// Ansible's host variables: the list's text and a None directory.
	if f, d, ok := b.Vars["inventory_file"], b.Vars["inventory_dir"], hasKey(b.Vars, "inventory_dir"); f != "a.example.com,b:2222,[::1]:2200," || d != nil || !ok {
		t.Errorf("inventory_file/dir vars = %v, %v; want the list and nil", f, d)
	}
}

func TestLoadSingleHostList(t *testing.T) {
	inv, err := Load([]string{"solo,"})
	if err != nil {
		t.Fatal(err)
	}
	if hs := inv.Hosts(); len(hs) != 1 || hs[0].Name != "solo" {
		t.Errorf("hosts = %v, want [solo]", hs)
	}
}

func TestInventoryFileVars(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "hosts"), "h1\n")
	inv, err := Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := inv.Host("h1")
	if h.InventoryFile != path || h.InventoryDir != dir {
		t.Errorf("inventory_file/dir = %q, %q; want %q, %q", h.InventoryFile, h.InventoryDir, path, dir)
	}
	if h.Vars["inventory_file"] != path || h.Vars["inventory_dir"] != dir {
		t.Errorf("inventory_file/dir vars = %v, %v; want %q, %q", h.Vars["inventory_file"], h.Vars["inventory_dir"], path, dir)
	}
}

func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "inv.yml"), "all:\n  children:\n    g:\n      hosts:\n        g:\n      extra: {a: 1}\n    web-servers:\n    1st:\nnotagroup: [1]\n")
	inv, err := Load([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(inv.Warnings(), "\n")
	if n := strings.Count(got, "Invalid characters"); n != 1 {
		t.Errorf("want the invalid-characters warning once, got it %d times", n)
	}
	for _, want := range []string{
		"Skipping unexpected key (extra) in group (g)",
		"Skipping 'notagroup' as this is not a valid group definition",
		"Found both group and host with same name: g",
		"Invalid characters were found in group names but not replaced",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings %q lack %q", got, want)
		}
	}
}

// TestChapterInventory loads the repository's own inventory (the book
// chapter's hosts/serv-disc) and checks what the consul role relies on.
func TestChapterInventory(t *testing.T) {
	inv, err := Load([]string{"../hosts/serv-disc"})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := inv.Select("consul")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hostNames(hs), []string{"10.100.194.201", "10.100.194.202", "10.100.194.203"}; !reflect.DeepEqual(got, want) {
		t.Errorf("consul hosts = %q, want %q", got, want)
	}
	h, _ := inv.Host("10.100.194.201")
	if h.Vars["consul_extra"] != "-server -bootstrap" {
		t.Errorf("consul_extra = %#v", h.Vars["consul_extra"])
	}
	for _, n := range []string{"10.100.194.202", "10.100.194.203"} {
		h, _ := inv.Host(n)
		if h.Vars["consul_server_ip"] != "10.100.194.201" || h.Port != 0 {
			t.Errorf("%s: vars %v port %d", n, h.Vars, h.Port)
		}
	}
	if got := inv.GroupNames("10.100.194.203"); !reflect.DeepEqual(got, []string{"consul"}) {
		t.Errorf("group_names = %q", got)
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }
