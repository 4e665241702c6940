package ssh

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/ssh/sshtest"
	"github.com/gossible/gossible/transport/transporttest"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func dial(t testing.TB, cfg transport.Config) *Client {
	t.Helper()
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func TestContract(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	transporttest.Run(t, func(t *testing.T) transport.Conn { return dial(t, f.config()) })
}

func TestBecomePassword(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	transporttest.RunFakeSudo(t, func(t *testing.T) transport.Conn { return dial(t, f.config()) })
}

func TestOneConnectionPerClient(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	c := dial(t, f.config())
	defer c.Close()
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%5 == 0 {
				if err := c.Upload(context.Background(), strings.NewReader("x"), fmt.Sprintf("%s/u%d", t.TempDir(), i), 0o600); err != nil {
					t.Error(err)
				}
				return
			}
			res, err := c.Exec(context.Background(), transport.Cmd{Line: "echo hi"})
			if err != nil || string(res.Stdout) != "hi\n" {
				t.Errorf("exec: %v %q", err, res.Stdout)
			}
		}()
	}
	wg.Wait()
	if n := f.srv.Connections(); n != 1 {
		t.Errorf("server saw %d TCP connections, want 1", n)
	}
}

func TestHostKeys(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	_, other := newKey(t, "")
	addr := f.srv.Addr()
	tests := []struct {
		name     string
		known    string // known_hosts content; "-" means no file at all
		checking bool
		wantErr  string
	}{
		{name: "known", known: f.srv.KnownHostsLine(), checking: true},
		{name: "hashed entry", known: knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(addr))}, f.srv.HostKey), checking: true},
		{name: "unknown", known: knownhosts.Line([]string{"[127.0.0.1]:1"}, f.srv.HostKey), checking: true, wantErr: "ssh-keyscan -p"},
		{name: "no file", known: "-", checking: true, wantErr: "host_key_checking = False"},
		{name: "mismatch", known: knownhosts.Line([]string{addr}, other.PublicKey()), checking: true, wantErr: "CHANGED"},
		{name: "unchecked mismatch", known: knownhosts.Line([]string{addr}, other.PublicKey()), checking: false},
		{name: "unchecked no file", known: "-", checking: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := f.config()
			cfg.HostKeyChecking = tt.checking
			if tt.known == "-" {
				cfg.KnownHostsFiles = []string{t.TempDir() + "/missing"}
			} else {
				cfg.KnownHostsFiles = []string{writeFile(t, tt.known+"\n")}
			}
			c, err := Dial(context.Background(), cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				c.Close()
				return
			}
			var ue *transport.UnreachableError
			if !errors.As(err, &ue) || !errors.Is(err, transport.ErrUnreachable) {
				t.Fatalf("err = %v, want an UnreachableError", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// A server with several host keys must be accepted when known_hosts holds
// any one of them, whatever type x/crypto would prefer.
func TestHostKeyAlgorithmNarrowing(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsaSigner, err := ssh.NewSignerFromKey(rk)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, sshtest.Options{ExtraHostKeys: []ssh.Signer{rsaSigner}})
	cfg := f.config()
	cfg.KnownHostsFiles = []string{writeFile(t, knownhosts.Line([]string{f.srv.Addr()}, rsaSigner.PublicKey())+"\n")}
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dial with only the rsa key known: %v", err)
	}
	c.Close()
}

func TestAuth(t *testing.T) {
	wrongKey, _ := newKey(t, "")
	lockedKey, _ := newKey(t, "secret")
	tests := []struct {
		name    string
		opts    sshtest.Options
		edit    func(*transport.Config)
		wantErr string
	}{
		{name: "key"},
		{name: "wrong key", edit: func(c *transport.Config) { c.PrivateKeyFiles = []string{wrongKey} },
			wantErr: "tester@127.0.0.1: permission denied (publickey)"},
		{name: "wrong password names methods", opts: sshtest.Options{Password: "pw"},
			edit:    func(c *transport.Config) { c.PrivateKeyFiles = nil; c.Password = "nope" },
			wantErr: "tester@127.0.0.1: permission denied ("},
		{name: "no credentials", edit: func(c *transport.Config) { c.PrivateKeyFiles = nil }, wantErr: "no credentials"},
		{name: "missing key file", edit: func(c *transport.Config) { c.PrivateKeyFiles = []string{"/nonexistent/key"} }, wantErr: "/nonexistent/key"},
		{name: "passphrase key", edit: func(c *transport.Config) { c.PrivateKeyFiles = []string{lockedKey} }, wantErr: "passphrase"},
		{name: "password", opts: sshtest.Options{Password: "pw"},
			edit: func(c *transport.Config) { c.PrivateKeyFiles = []string{wrongKey}; c.Password = "pw" }},
		{name: "wrong password", opts: sshtest.Options{Password: "pw"},
			edit:    func(c *transport.Config) { c.PrivateKeyFiles = nil; c.Password = "nope" },
			wantErr: "password"},
		{name: "keyboard-interactive", opts: sshtest.Options{Password: "pw", KeyboardInteractive: true},
			edit: func(c *transport.Config) { c.PrivateKeyFiles = nil; c.Password = "pw" }},
		{name: "default key file", edit: func(c *transport.Config) { c.PrivateKeyFiles = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.opts)
			cfg := f.config()
			if tt.name == "default key file" {
				home := t.TempDir()
				t.Setenv("HOME", home)
				copyFile(t, f.key, home+"/.ssh/id_ed25519")
			}
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			c, err := Dial(context.Background(), cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				res, err := c.Exec(context.Background(), transport.Cmd{Line: "echo in"})
				if err != nil || string(res.Stdout) != "in\n" {
					t.Errorf("exec after login: %v %q", err, res.Stdout)
				}
				c.Close()
				return
			}
			if !errors.Is(err, transport.ErrUnreachable) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want unreachable mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestDialFailures(t *testing.T) {
	isolate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	// A listener that accepts but never speaks SSH: the timeout must fire.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	tests := []struct {
		name    string
		port    int
		wantErr string
	}{
		{name: "refused", port: closedPort, wantErr: fmt.Sprintf("Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port %d: Connection refused", closedPort)},
		{name: "silent", port: silent.Addr().(*net.TCPAddr).Port, wantErr: "timeout"},
	}
	silentPort := silent.Addr().(*net.TCPAddr).Port
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := Dial(ctx, transport.Config{Host: "127.0.0.1", Port: silentPort, User: "u", Timeout: time.Minute})
		if !errors.Is(err, transport.ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want unreachable and deadline exceeded", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %s", d)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Dial(context.Background(), transport.Config{Host: "127.0.0.1", Port: tt.port, User: "u", Timeout: 300 * time.Millisecond})
			if !errors.Is(err, transport.ErrUnreachable) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want unreachable with %q", err, tt.wantErr)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestExecAfterClose(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	c := dial(t, f.config())
	c.Close()
	_, err := c.Exec(context.Background(), transport.Cmd{Line: "true"})
	if !errors.Is(err, transport.ErrUnreachable) {
		t.Errorf("exec on a closed client: err = %v, want unreachable", err)
	}
	if err := c.Upload(context.Background(), bytes.NewReader(nil), t.TempDir()+"/x", 0o644); err == nil {
		t.Error("upload on a closed client succeeded")
	}
}

func TestBecomeSuPassword(t *testing.T) {
	f := newFixture(t, sshtest.Options{})
	transporttest.RunFakeSu(t, func(t *testing.T) transport.Conn { return dial(t, f.config()) })
}
