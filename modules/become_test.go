package modules

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gossible/gossible/transport"
)

// TestBecome runs modules through sudo on the local connection: every
// command goes through Env.Become, uploads stay with the login user.
func TestBecome(t *testing.T) {
	needRoot(t)
	if _, err := exec.LookPath("sudo"); err != nil {
		t.Skip("needs sudo for become")
	}
	env := testEnv(t)
	env.Become = &transport.Become{Method: "sudo", User: "nobody"}
	r := runMod(t, env, "command", map[string]any{"_raw_params": "id -un"})
	if r["stdout"] != "nobody" {
		t.Fatalf("become nobody: %v", r)
	}
	env.Become = &transport.Become{Method: "sudo"}
	dir := t.TempDir()
	r = runMod(t, env, "copy", map[string]any{"content": "x\n", "dest": filepath.Join(dir, "f"), "owner": "nobody", "mode": "0640"})
	if r["changed"] != true || r["owner"] != "nobody" || r["mode"] != "0640" {
		t.Fatalf("copy under become: %v", r)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "f")); string(b) != "x\n" {
		t.Fatalf("content %q", b)
	}
	r = runMod(t, env, "file", map[string]any{"path": filepath.Join(dir, "d/e"), "state": "directory", "owner": "nobody"})
	if r["changed"] != true || r["owner"] != "nobody" {
		t.Fatalf("file under become: %v", r)
	}
}
