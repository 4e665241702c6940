package lab

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
)

// Files kept in a cluster's state dir.
const (
	keyFileName        = "id_ed25519"
	knownHostsFileName = "known_hosts"
)

// loadOrCreateKey returns the cluster's private key (OpenSSH PEM) and its
// authorized_keys line, generating the key on first use.
func loadOrCreateKey(dir string) (priv []byte, authorized string, err error) {
	path := filepath.Join(dir, keyFileName)
	priv, err = os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		priv, err = newKey()
		if err == nil {
			err = writeFile(path, priv, 0o600)
		}
	}
	if err != nil {
		return nil, "", fmt.Errorf("lab key %s: %w", path, err)
	}
	signer, err := ssh.ParsePrivateKey(priv)
	if err != nil {
		return nil, "", fmt.Errorf("lab key %s: %w", path, err)
	}
	authorized = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) + " gossible-lab"
	if err := writeFile(path+".pub", []byte(authorized+"\n"), 0o644); err != nil {
		return nil, "", fmt.Errorf("lab key: %w", err)
	}
	return priv, authorized, nil
}

func newKey() ([]byte, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(key, "gossible-lab")
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(block), nil
}

// knownHostsLines turns the host's public key files ("type base64 comment")
// into known_hosts lines for all its names.
func knownHostsLines(names []string, pubKeys string) ([]string, error) {
	var lines []string
	for _, l := range strings.Split(pubKeys, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(l))
		if err != nil {
			return nil, fmt.Errorf("parse host key %q: %w", l, err)
		}
		lines = append(lines, strings.Join(names, ",")+" "+strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key))))
	}
	if len(lines) == 0 {
		return nil, errors.New("host has no ssh host keys")
	}
	return lines, nil
}

func writeFile(path string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, data, mode)
}
