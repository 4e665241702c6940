package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOptionsDefaults(t *testing.T) {
	o, err := Options{RepoDir: "/repo"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"network", o.Network, "gossible-serv-disc"},
		{"subnet", o.Subnet, "10.100.194.0/24"},
		{"state", o.StateDir, "/repo/.lab/gossible-serv-disc"},
		{"first host", o.hostName(0), "serv-disc-01"},
		{"controller ip", o.addr(controllerOctet), "10.100.194.200"},
		{"host ip", o.addr(firstHostOctet + 2), "10.100.194.203"},
		{"gateway", o.gateway(), "10.100.194.1"},
		{"image", o.Image, DefaultRecipe().Image()},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
	if o.Hosts != 3 {
		t.Errorf("hosts = %d, want 3", o.Hosts)
	}
}

func TestOptionsInvalid(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"upper prefix", Options{Prefix: "Gossible-"}, "lab prefix"},
		{"prefix with space", Options{Prefix: "a b"}, "lab prefix"},
		{"ipv6 subnet", Options{Subnet: "fd00::/64"}, "IPv4 /24"},
		{"wide subnet", Options{Subnet: "10.100.0.0/16"}, "IPv4 /24"},
		{"unmasked subnet", Options{Subnet: "10.100.194.7/24"}, "IPv4 /24"},
		{"garbage subnet", Options{Subnet: "nope"}, "IPv4 /24"},
		{"too many hosts", Options{Hosts: 55}, "want 1 to 54"},
		{"negative hosts", Options{Hosts: -1}, "want 1 to 54"},
		{"bad host prefix", Options{HostPrefix: "x/y"}, "host prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.o.withDefaults()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestRecipeHash(t *testing.T) {
	base := Recipe{Suite: "bookworm", Variant: "minbase", Packages: []string{"a", "b"}}
	if base.Hash() != base.Hash() || len(base.Hash()) != 12 {
		t.Fatalf("hash not stable or wrong length: %q", base.Hash())
	}
	tests := []struct {
		name   string
		change func(*Recipe)
	}{
		{"suite", func(r *Recipe) { r.Suite = "trixie" }},
		{"variant", func(r *Recipe) { r.Variant = "buildd" }},
		{"packages", func(r *Recipe) { r.Packages = []string{"a"} }},
		{"package split", func(r *Recipe) { r.Packages = []string{"a,b"} }},
		{"mirror", func(r *Recipe) { r.Mirror = "http://mirror.invalid/debian" }},
		{"vagrant key", func(r *Recipe) { r.VagrantKey = "ssh-rsa AAAA" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			r.Packages = append([]string(nil), base.Packages...)
			tt.change(&r)
			if r.Hash() == base.Hash() && tt.name != "package split" {
				t.Fatalf("changing %s kept hash %s", tt.name, r.Hash())
			}
			if !strings.HasPrefix(r.Image(), ImageRepo+":") {
				t.Fatalf("image %q lacks repo", r.Image())
			}
		})
	}
}

func TestKnownHostsLines(t *testing.T) {
	pub, err := os.ReadFile(filepath.Join("testdata", "host_keys.pub"))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := knownHostsLines([]string{"serv-disc-01", "10.100.194.201"}, string(pub))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2: %q", len(lines), lines)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "serv-disc-01,10.100.194.201 ") || strings.Contains(l, "root@") || len(strings.Fields(l)) != 3 {
			t.Errorf("bad known_hosts line %q", l)
		}
	}
	if _, err := knownHostsLines([]string{"h"}, ""); err == nil {
		t.Error("no keys: want an error")
	}
	if _, err := knownHostsLines([]string{"h"}, "ssh-ed25519 !!!"); err == nil {
		t.Error("garbage key: want an error")
	}
}

func TestKeyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	priv, auth, err := loadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(auth, "ssh-ed25519 ") {
		t.Fatalf("authorized line %q", auth)
	}
	st, err := os.Stat(filepath.Join(dir, keyFileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	priv2, auth2, err := loadOrCreateKey(dir)
	if err != nil || string(priv2) != string(priv) || auth2 != auth {
		t.Fatalf("second load changed the key (err %v)", err)
	}
}

func TestCheckNetwork(t *testing.T) {
	good := func() *networkInfo {
		n := &networkInfo{Name: "n", Internal: true, Labels: map[string]string{LabelCluster: "n"}}
		n.IPAM.Config = append(n.IPAM.Config, struct{ Subnet, Gateway string }{"10.100.194.0/24", "10.100.194.1"})
		return n
	}
	tests := []struct {
		name   string
		change func(*networkInfo)
		want   string
	}{
		{"ok", func(*networkInfo) {}, ""},
		{"not internal", func(n *networkInfo) { n.Internal = false }, "Internal=false"},
		{"foreign", func(n *networkInfo) { n.Labels = nil }, "not created by the lab"},
		{"other subnet", func(n *networkInfo) { n.IPAM.Config[0].Subnet = "10.1.0.0/24" }, "want 10.100.194.0/24"},
		{"two subnets", func(n *networkInfo) { n.IPAM.Config = append(n.IPAM.Config, n.IPAM.Config[0]) }, "want 10.100.194.0/24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := good()
			tt.change(n)
			err := checkNetwork(n, "n", "10.100.194.0/24")
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRemoveRootAndTail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "root")
	if err := os.MkdirAll(filepath.Join(dir, "a/b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := removeRoot(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("root still there: %v", err)
	}
	var tb tailBuffer
	for i := 0; i < 30; i++ {
		tb.Write([]byte("line\n")) //nolint:errcheck
	}
	if n := strings.Count(tb.String(), "line"); n != 20 {
		t.Fatalf("tail kept %d lines, want 20", n)
	}
}
