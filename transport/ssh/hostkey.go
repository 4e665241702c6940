package ssh

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostKeys returns the host key callback for cfg and the host key algorithms
// to offer. The algorithms are narrowed to the types already known for the
// host, so a server holding several keys presents the one known_hosts has
// (as OpenSSH does) instead of one that would look like a mismatch.
func hostKeys(cfg transport.Config, addr string) (ssh.HostKeyCallback, []string, error) {
	if !cfg.HostKeyChecking {
		return ssh.InsecureIgnoreHostKey(), nil, nil
	}
	files := cfg.KnownHostsFiles
	if len(files) == 0 {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, nil, fmt.Errorf("find known_hosts: %w", err)
		}
		files = []string{filepath.Join(home, ".ssh", "known_hosts")}
	}
	var existing []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			existing = append(existing, f)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("read known_hosts: %w", err)
		}
	}
	if len(existing) == 0 {
		return func(string, net.Addr, ssh.PublicKey) error {
			return &knownhosts.KeyError{}
		}, nil, nil
	}
	cb, err := knownhosts.New(existing...)
	if err != nil {
		return nil, nil, fmt.Errorf("read known_hosts: %w", err)
	}
	return cb, knownAlgorithms(cb, addr), nil
}

// knownAlgorithms asks cb which keys it holds for addr by offering a key
// that cannot match, and lists the algorithms those keys sign with.
func knownAlgorithms(cb ssh.HostKeyCallback, addr string) []string {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil
	}
	probe, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if !errors.As(cb(addr, &net.TCPAddr{IP: net.IPv4zero}, probe), &ke) {
		return nil
	}
	var algos []string
	seen := map[string]bool{}
	add := func(a ...string) {
		for _, x := range a {
			if !seen[x] {
				seen[x] = true
				algos = append(algos, x)
			}
		}
	}
	for _, k := range ke.Want {
		switch t := k.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			add(ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA)
		default:
			add(t)
		}
	}
	return algos
}

// explainHostKey turns a host key verification failure into an error that
// says what is wrong and how to fix it.
func explainHostKey(err error, cfg transport.Config, host string, port int, key ssh.PublicKey) error {
	fp := ""
	if key != nil {
		fp = key.Type() + " " + ssh.FingerprintSHA256(key)
	}
	files := strings.Join(cfg.KnownHostsFiles, ", ")
	if files == "" {
		files = "~/.ssh/known_hosts"
	}
	scan := "ssh-keyscan " + shellquote.Quote(host) + " >> ~/.ssh/known_hosts"
	name := host
	if port != 22 {
		scan = "ssh-keyscan -p " + strconv.Itoa(port) + " " + shellquote.Quote(host) + " >> ~/.ssh/known_hosts"
		name = "[" + host + "]:" + strconv.Itoa(port)
	}
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	switch {
	case errors.As(err, &re):
		return fmt.Errorf("host key %s for %s is marked revoked in %s:%d", fp, name, re.Revoked.Filename, re.Revoked.Line)
	case errors.As(err, &ke) && len(ke.Want) == 0:
		return fmt.Errorf("host key verification failed: %s is not in known_hosts (%s); the server offered %s; "+
			"after checking that fingerprint, add it with `%s`, or turn checking off with host_key_checking = False "+
			"(ANSIBLE_HOST_KEY_CHECKING=False)", name, files, fp, scan)
	case errors.As(err, &ke):
		w := ke.Want[0]
		return fmt.Errorf("host key verification failed: REMOTE HOST IDENTIFICATION HAS CHANGED for %s: the server offered %s, "+
			"but %s:%d holds a different key; if the change is expected, remove the old entry with `ssh-keygen -R %s` "+
			"and add the new one with `%s`", name, fp, w.Filename, w.Line, shellquote.Quote(name), scan)
	}
	return fmt.Errorf("host key verification failed: %w", err)
}
