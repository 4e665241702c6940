package ssh

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/transport"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// auth holds the client's authentication methods and what must be closed
// once the handshake is over (the ssh-agent socket).
type auth struct {
	methods []ssh.AuthMethod
	tried   []string // key sources, for error messages
	agent   net.Conn
}

func (a *auth) close() {
	if a.agent != nil {
		_ = a.agent.Close()
	}
}

// newAuth builds the methods in Ansible's (and OpenSSH's) order: public keys
// from the configured files, then the ssh-agent, then (only when no file was
// configured) ~/.ssh/id_ed25519, id_ecdsa and id_rsa; then the password, also for keyboard-interactive.
func newAuth(cfg transport.Config) (*auth, error) {
	a := &auth{}
	var signers []ssh.Signer
	seen := map[string]bool{}
	add := func(s ssh.Signer) {
		k := string(s.PublicKey().Marshal())
		if !seen[k] {
			seen[k] = true
			signers = append(signers, s)
		}
	}
	for _, f := range cfg.PrivateKeyFiles {
		s, err := loadKey(f)
		if err != nil {
			return nil, err
		}
		add(s)
		a.tried = append(a.tried, f)
	}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err == nil {
			if ss, err := agent.NewClient(conn).Signers(); err == nil && len(ss) > 0 {
				a.agent = conn
				for _, s := range ss {
					add(s)
				}
				a.tried = append(a.tried, "ssh-agent")
			} else {
				_ = conn.Close()
			}
		}
	}
	// As OpenSSH: the default identities are offered only when no identity
	// file was given (-i / --private-key / ansible_ssh_private_key_file).
	if home, err := os.UserHomeDir(); err == nil && len(cfg.PrivateKeyFiles) == 0 {
		for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			f := filepath.Join(home, ".ssh", name)
			// Default keys are optional: missing or passphrase-protected
			// ones are skipped, as ssh does without a terminal.
			if s, err := loadKey(f); err == nil {
				add(s)
				a.tried = append(a.tried, f)
			}
		}
	}
	if len(signers) > 0 {
		a.methods = append(a.methods, ssh.PublicKeys(signers...))
	}
	if cfg.Password != "" {
		pw := cfg.Password
		a.methods = append(a.methods,
			ssh.Password(pw),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = pw
				}
				return answers, nil
			}))
		a.tried = append(a.tried, "password")
	}
	return a, nil
}

func loadKey(path string) (ssh.Signer, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read private key: %w", err)
	}
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, fmt.Errorf("private key %s is protected by a passphrase: load it into ssh-agent (ssh-add %s)", path, path)
	case err != nil:
		return nil, fmt.Errorf("parse private key %s: %w", path, err)
	}
	return s, nil
}

// explainAuth rewrites x/crypto's authentication failure in OpenSSH's words,
// with the methods the server allows and the credentials tried.
func explainAuth(err error, allowed []string, a *auth) error {
	tooMany := strings.Contains(err.Error(), "Too many authentication failures")
	if !strings.Contains(err.Error(), "unable to authenticate") && !tooMany {
		return err
	}
	var b bytes.Buffer
	b.WriteString("permission denied (")
	b.WriteString(strings.Join(allowed, ","))
	b.WriteString(")")
	if tooMany {
		b.WriteString(": too many authentication failures, the server gave up before every key was tried " +
			"(name the right key with ansible_ssh_private_key_file)")
	}
	if len(a.tried) == 0 {
		b.WriteString(": no credentials to offer: no private key files, no ssh-agent keys, no ~/.ssh/id_* and no password")
	} else {
		b.WriteString(": tried ")
		b.WriteString(strings.Join(a.tried, ", "))
	}
	return errors.New(b.String())
}
