package inventory

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestVarLayersOrder builds every kind of layer, each setting src, and
// checks they come in Ansible's precedence order.
func TestVarLayersOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"inv/hosts": `[parent:children]
child
[child]
h1 src=host_inline
[all:vars]
src=inv_all
[parent:vars]
src=inv_parent
[child:vars]
src=inv_child
`,
		"inv/group_vars/all.yml":    "src: gv_all\n",
		"inv/group_vars/parent.yml": "src: gv_parent\n",
		"inv/group_vars/child.yml":  "src: gv_child\n",
		"inv/host_vars/h1.yml":      "src: hv\n",
		"pb/group_vars/all.yml":     "src: pb_all\n",
		"pb/group_vars/child.yml":   "src: pb_child\n",
		"pb/host_vars/h1.yml":       "src: pb_hv\n",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	inv, err := Load([]string{filepath.Join(dir, "inv/hosts")})
	if err != nil {
		t.Fatal(err)
	}
	inv.AddVarsDir(filepath.Join(dir, "pb"))
	var got []string
	for _, l := range inv.VarLayers("h1") {
		got = append(got, l["src"].(string))
	}
	want := []string{"inv_all", "inv_parent", "inv_child", "gv_all", "pb_all", "gv_parent", "gv_child", "pb_child", "host_inline", "hv", "pb_hv"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("layers = %q\nwant     %q", got, want)
	}
	if inv.VarLayers("nosuch") != nil {
		t.Errorf("unknown host should have no layers")
	}
}

func TestGroupPriority(t *testing.T) {
	inv := loadString(t, "hosts", `[a]
h1
[b]
h1
[a:vars]
v=a
ansible_group_priority=10
[b:vars]
v=b
`)
	layers := inv.VarLayers("h1")
	var last any
	for _, l := range layers {
		if v, ok := l["v"]; ok {
			last = v
		}
	}
	if last != "a" {
		t.Errorf("higher ansible_group_priority should win: last layer v=%v", last)
	}
	for _, l := range layers {
		if _, ok := l["ansible_group_priority"]; ok {
			t.Errorf("ansible_group_priority is not a variable")
		}
	}
}

func TestMagicGroups(t *testing.T) {
	inv := loadString(t, "hosts", patternInv)
	want := map[string][]string{
		"all":       {"lone", "web1", "web2", "web3", "db1"},
		"ungrouped": {"lone"},
		"web":       {"web1", "web2", "web3"},
		"db":        {"db1", "web2"},
		"prod":      {"web1", "web2", "web3", "db1"},
	}
	if got := inv.Groups(); !reflect.DeepEqual(got, want) {
		t.Errorf("Groups() = %v\nwant %v", got, want)
	}
	tests := []struct {
		name string
		host string
		want []string
	}{
		{"two groups and a parent", "web2", []string{"db", "prod", "web"}},
		{"ungrouped host", "lone", []string{"ungrouped"}},
		{"unknown host", "nosuch", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inv.GroupNames(tt.host); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GroupNames(%q) = %q, want %q", tt.host, got, tt.want)
			}
		})
	}
}

func TestVarsFileErrors(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		content  string
		wantLine int
		wantMsg  string
	}{
		{"syntax", "group_vars/all.yml", "a: 1\nb: [1,\nc: 2\n", 2, "yaml syntax error"},
		{"not a mapping", "group_vars/web.yml", "- a\n- b\n", 0, "expected dicts but got a 'list'"},
		{"vault file", "host_vars/h1.yml", "$ANSIBLE_VAULT;1.1;AES256\n6162\n", 1, "Attempting to decrypt but no vault secrets found"},
		// a !vault value is opened when used, not loaded; only its shape is checked here
		{"vault value not a string", "host_vars/h1", "pw: !vault {a: 1}\n", 1, "!vault must tag a string"},
		{"two documents", "group_vars/all", "a: 1\n---\nb: 2\n", 2, "expected a single document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "hosts"), "[web]\nh1\n")
			bad := writeFile(t, filepath.Join(dir, tt.file), tt.content)
			// Ansible reads vars files when a play needs the host's
			// variables: Load succeeds, VarsError has the failure.
			inv, err := Load([]string{filepath.Join(dir, "hosts")})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			err = inv.VarsError("h1")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("VarsError = %v, want *ParseError", err)
			}
			if pe.File != bad || pe.Line != tt.wantLine || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Errorf("error = %v (line %d), want %s:%d %q", err, pe.Line, bad, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func TestYAML11Scalars(t *testing.T) {
	inv := loadString(t, "inv.yml", `all:
  hosts:
    h1:
      yes_: yes
      no_: No
      on_: on
      off_: OFF
      oct: 0755
      hex: 0x1f
      bin: 0b11
      sexa: 1:30
      sci: 1.0e5
      scisign: 1.5e+3
      inf: -.inf
      null_: ~
      quoted: "yes"
      str: !!str 12
      unsafe: !unsafe "{{ x }}"
      float_tag: !!float 3
      merged:
        <<: {a: 1, b: 2}
        b: 3
`)
	h, _ := inv.Host("h1")
	want := map[string]any{
		"yes_": true, "no_": false, "on_": true, "off_": false, "oct": 493, "hex": 31, "bin": 3,
		"sexa": 90, "sci": "1.0e5", "scisign": 1500.0, "null_": nil, "quoted": "yes", "str": "12",
		"unsafe": "{{ x }}", "float_tag": 3.0, "merged": map[string]any{"a": 1, "b": 3},
	}
	for k, w := range want {
		if got := h.Vars[k]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", k, got, w)
		}
	}
	if v, ok := h.Vars["inf"].(float64); !ok || v > -1e308 {
		t.Errorf("inf = %#v, want -Inf", h.Vars["inf"])
	}
}
