package modules

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/testhosts"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/ssh"
)

// TestEditRemote runs stat, lineinfile, blockinfile, replace and slurp over
// SSH against a test host, as the login user and with become, on a file
// only root may read.
func TestEditRemote(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts a test host container")
	}
	hosts := testhosts.Cluster(t, 1, testhosts.Options{NoController: true})
	ctx := context.Background()
	c, err := ssh.Dial(ctx, transport.Config{Host: hosts.Hosts[0].IP, User: "vagrant",
		PrivateKeyFiles: []string{hosts.KeyFile}, KnownHostsFiles: []string{hosts.KnownHostsFile}, HostKeyChecking: true})
	if err != nil {
		t.Fatalf("dial test host: %v", err)
	}
	defer c.Close()
	res, err := c.Exec(ctx, transport.Cmd{Line: "mktemp -d"})
	if err != nil || res.RC != 0 {
		t.Fatalf("mktemp: %v %s", err, res.Stderr)
	}
	user := &Env{Conn: c, Host: hosts.Hosts[0].Name, RemoteTmp: strings.TrimSpace(string(res.Stdout))}
	root := *user
	root.Become = &transport.Become{Method: "sudo"}
	p := "/root/gossible-edit/conf"

	r := runMod(t, user, "stat", map[string]any{"path": "/root/gossible-edit/conf"})
	if r["failed"] != true || r["msg"] != "Permission denied" {
		t.Errorf("stat without become: %v", r)
	}
	r = runMod(t, &root, "lineinfile", map[string]any{"path": p, "line": "port=1", "create": true, "mode": "0600"})
	if r["changed"] != true || r["msg"] != "line added and ownership, perms or SE linux context changed" {
		t.Fatalf("lineinfile create under become: %v", r)
	}
	r = runMod(t, &root, "lineinfile", map[string]any{"path": p, "regexp": "^port=", "line": "port=2"})
	if r["changed"] != true || r["msg"] != "line replaced" {
		t.Fatalf("lineinfile replace: %v", r)
	}
	r = runMod(t, &root, "lineinfile", map[string]any{"path": p, "regexp": "^port=", "line": "port=2"})
	if r["changed"] != false {
		t.Fatalf("lineinfile rerun: %v", r)
	}
	r = runMod(t, &root, "blockinfile", map[string]any{"path": p, "block": "a\nb"})
	if r["changed"] != true || r["msg"] != "Block inserted" {
		t.Fatalf("blockinfile: %v", r)
	}
	r = runMod(t, &root, "replace", map[string]any{"path": p, "regexp": `^(\w)$`, "replace": `\1\1`})
	if r["changed"] != true || r["msg"] != "2 replacements made" {
		t.Fatalf("replace: %v", r)
	}
	want := "port=2\n# BEGIN ANSIBLE MANAGED BLOCK\naa\nbb\n# END ANSIBLE MANAGED BLOCK\n"
	r = runMod(t, &root, "slurp", map[string]any{"src": p})
	if r["content"] != b64(want) {
		t.Fatalf("slurp: %v, want content %q", r, want)
	}
	r = runMod(t, &root, "stat", map[string]any{"path": p})
	st, _ := r["stat"].(map[string]any)
	if st["exists"] != true || st["mode"] != "0600" || st["pw_name"] != "root" || st["isreg"] != true || st["checksum"] != sha1hex([]byte(want)) {
		t.Fatalf("stat under become: %v", r)
	}
	r = runMod(t, user, "lineinfile", map[string]any{"path": "/home/vagrant/.profile-gossible", "line": "x", "create": true})
	if r["changed"] != true {
		t.Fatalf("lineinfile as login user: %v", r)
	}
	r = runMod(t, user, "stat", map[string]any{"path": "/home/vagrant/.profile-gossible"})
	if st, _ := r["stat"].(map[string]any); st["pw_name"] != "vagrant" || st["size"] != int64(2) {
		t.Fatalf("stat as login user: %v", r)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
