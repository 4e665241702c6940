package ssh

import (
	"context"
	"crypto/ed25519"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/ssh/sshtest"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// startAgent serves an in-memory ssh-agent holding one new key on a unix
// socket named by SSH_AUTH_SOCK for the rest of the test.
func startAgent(t *testing.T) ssh.PublicKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "agent") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _ = agent.ServeAgent(keyring, c) }()
		}
	}()
	t.Setenv("SSH_AUTH_SOCK", sock)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer.PublicKey()
}

func TestAgentAuth(t *testing.T) {
	isolate(t)
	pub := startAgent(t)
	srv, err := sshtest.Start(sshtest.Options{AuthorizedKeys: []ssh.PublicKey{pub}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := Dial(context.Background(), transport.Config{Host: srv.Host, Port: srv.Port, User: "u", HostKeyChecking: false})
	if err != nil {
		t.Fatalf("dial with the agent's key: %v", err)
	}
	defer c.Close()
	if res, err := c.Exec(context.Background(), transport.Cmd{Line: "echo ok"}); err != nil || string(res.Stdout) != "ok\n" {
		t.Errorf("exec: %v %q", err, res.Stdout)
	}
}
