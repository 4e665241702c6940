package ssh

import (
	"crypto/ed25519"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/ssh/sshtest"
	"golang.org/x/crypto/ssh"
)

// isolate keeps the developer's ~/.ssh and ssh-agent out of the test.
func isolate(t testing.TB) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SSH_AUTH_SOCK", "")
}

// newKey makes an ed25519 key, writes it in OpenSSH format to a file and
// returns the file and the signer.
func newKey(t testing.TB, passphrase string) (string, ssh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	var block *pem.Block
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(priv, "test")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte(passphrase))
	}
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "id_test")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return path, s
}

func writeFile(t testing.TB, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// fixture is an sshtest server with an authorized key and a known_hosts
// file that trusts it.
type fixture struct {
	srv        *sshtest.Server
	key        string
	knownHosts string
}

func newFixture(t testing.TB, opts sshtest.Options) *fixture {
	t.Helper()
	isolate(t)
	key, signer := newKey(t, "")
	opts.AuthorizedKeys = append(opts.AuthorizedKeys, signer.PublicKey())
	srv, err := sshtest.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &fixture{srv: srv, key: key, knownHosts: writeFile(t, srv.KnownHostsLine()+"\n")}
}

func (f *fixture) config() transport.Config {
	return transport.Config{
		Host:            f.srv.Host,
		Port:            f.srv.Port,
		User:            "tester",
		PrivateKeyFiles: []string{f.key},
		KnownHostsFiles: []string{f.knownHosts},
		HostKeyChecking: true,
	}
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
