package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Prompt sources, as in --vault-id label@prompt. promptAskVaultPass is the
// source --ask-vault-pass stands for.
const (
	sourcePrompt       = "prompt"
	promptAskVaultPass = "prompt_ask_vault_pass"
)

// Options say where the vault secrets come from; Load reads them in the
// order Ansible does: IDs, then PasswordFiles, then the --ask-vault-pass
// prompt.
type Options struct {
	// IDs are --vault-id values: "label@source" or "source", where source
	// is a password file, an executable script or "prompt". Without a label
	// the id is DefaultID.
	IDs []string
	// PasswordFiles are --vault-password-file values (label DefaultID).
	PasswordFiles []string
	// AskVaultPass is --ask-vault-pass.
	AskVaultPass bool
	// AutoPrompt asks for a password when no source is given at all, as
	// ansible-vault does (ansible-playbook does not).
	AutoPrompt bool
	// NewPassword asks twice, "New vault password", for encrypt, create
	// and rekey; the answers must match.
	NewPassword bool
	// Prompt reads a password without echo after showing prompt. Nil uses
	// TerminalPrompt.
	Prompt func(prompt string) ([]byte, error)
	// Warn receives the message of a source that failed while others may
	// still work (Ansible's "[WARNING]: Error getting vault password file");
	// nil drops it. If no source works, the last failure is returned.
	Warn func(msg string)
}

// LoadSecrets reads the secrets of ansible-playbook's flags:
// --vault-password-file (passwordFiles), --vault-id (vaultIDs) and
// --ask-vault-pass (askPass non-nil; it is also used for label@prompt ids).
// No source at all is no secrets and no error.
func LoadSecrets(passwordFiles []string, vaultIDs []string, askPass func() ([]byte, error)) ([]Secret, error) {
	o := Options{IDs: vaultIDs, PasswordFiles: passwordFiles, AskVaultPass: askPass != nil}
	if askPass != nil {
		o.Prompt = func(string) ([]byte, error) { return askPass() }
	}
	return o.Load()
}

// Load reads every source in order and returns one Secret per source.
func (o Options) Load() ([]Secret, error) {
	slugs := append([]string(nil), o.IDs...)
	for _, f := range o.PasswordFiles {
		slugs = append(slugs, DefaultID+"@"+f)
	}
	if o.AskVaultPass || (len(slugs) == 0 && o.AutoPrompt) {
		slugs = append(slugs, DefaultID+"@"+promptAskVaultPass)
	}
	var secrets []Secret
	var lastErr error
	for _, slug := range slugs {
		label, source := SplitID(slug)
		if err := checkID(label); err != nil {
			return nil, err
		}
		id := label
		if id == "" {
			id = DefaultID
		}
		if source == sourcePrompt || source == promptAskVaultPass {
			pw, err := o.prompt(id, source == promptAskVaultPass)
			if err != nil {
				return nil, err
			}
			secrets = append(secrets, Secret{ID: id, Password: pw})
			continue
		}
		pw, err := readPasswordFile(source, label, secrets)
		if err != nil {
			if o.Warn != nil {
				o.Warn(fmt.Sprintf("Error getting vault password file (%s): %v", id, err))
			}
			lastErr = err
			continue
		}
		secrets = append(secrets, Secret{ID: id, Password: pw})
	}
	if len(secrets) == 0 && lastErr != nil {
		return nil, lastErr
	}
	return secrets, nil
}

// SplitID splits "label@source"; without '@' the label is empty.
func SplitID(slug string) (label, source string) {
	label, source, ok := strings.Cut(slug, "@")
	if !ok {
		return "", slug
	}
	return label, source
}

// prompt asks for id's password, twice for a new one.
func (o Options) prompt(id string, askVaultPass bool) ([]byte, error) {
	var prompts []string
	switch {
	case askVaultPass && o.NewPassword:
		prompts = []string{"New Vault password: ", "Confirm New Vault password: "}
	case askVaultPass:
		prompts = []string{"Vault password: "}
	case o.NewPassword:
		prompts = []string{fmt.Sprintf("New vault password (%s): ", id), fmt.Sprintf("Confirm new vault password (%s): ", id)}
	default:
		prompts = []string{fmt.Sprintf("Vault password (%s): ", id)}
	}
	ask := o.Prompt
	if ask == nil {
		ask = TerminalPrompt
	}
	var first []byte
	for i, p := range prompts {
		pw, err := ask(p)
		if err != nil {
			return nil, fmt.Errorf("vault password prompt for (%s): %w", id, err)
		}
		if len(pw) == 0 {
			return nil, errors.New("Invalid vault password was provided")
		}
		pw = bytes.TrimSpace(pw)
		if i == 0 {
			first = pw
		} else if !bytes.Equal(first, pw) {
			return nil, errors.New("Passwords do not match")
		}
	}
	return first, nil
}

// readPasswordFile reads a password file, or runs it when it is executable
// and uses its stdout. A "-client" script gets "--vault-id label". A file
// whose content is itself vaulted is opened with the secrets read so far.
func readPasswordFile(name, label string, known []Secret) ([]byte, error) {
	path, err := filepath.Abs(expandHome(name))
	if err != nil {
		return nil, fmt.Errorf("vault password file %s: %w", name, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("The vault password file %s was not found", path)
		}
		return nil, fmt.Errorf("Could not read vault password file %s: %w", path, err)
	}
	if st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0 {
		return runPasswordScript(path, label)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("Could not read vault password file %s: %w", path, err)
	}
	data = bytes.TrimSpace(data)
	if IsEncrypted(data) {
		if data, err = DecryptFile(path, data, known); err != nil {
			return nil, err
		}
	}
	data = bytes.Trim(data, "\r\n")
	if len(data) == 0 {
		return nil, fmt.Errorf("Invalid vault password was provided from file (%s)", path)
	}
	return data, nil
}

// runPasswordScript runs an executable password source. Its stderr is the
// terminal's for a plain script (it may prompt), captured for a client.
func runPasswordScript(path, label string) ([]byte, error) {
	client := strings.HasSuffix(strings.TrimSuffix(path, filepath.Ext(path)), "-client")
	cmd := exec.Command(path)
	var stderr bytes.Buffer
	if client {
		if label != "" {
			cmd.Args = append(cmd.Args, "--vault-id", label)
		}
		cmd.Stderr = &stderr
	} else {
		cmd.Stderr = os.Stderr
	}
	cmd.Stdin = os.Stdin
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && client && ee.ExitCode() == 2:
		return nil, fmt.Errorf("Vault password client script %s did not find a secret for vault-id=%s: %s", path, label, bytes.TrimSpace(stderr.Bytes()))
	case errors.As(err, &ee) && client:
		return nil, fmt.Errorf("Vault password client script %s returned non-zero (%d) when getting secret for vault-id=%s: %s", path, ee.ExitCode(), label, bytes.TrimSpace(stderr.Bytes()))
	case errors.As(err, &ee):
		return nil, fmt.Errorf("Vault password script %s returned non-zero (%d)", path, ee.ExitCode())
	case err != nil:
		return nil, fmt.Errorf("Problem running vault password script %s (%v). If this is not a script, remove the executable bit from the file.", path, err)
	}
	pw := bytes.Trim(out, "\r\n")
	if len(pw) == 0 {
		return nil, fmt.Errorf("Invalid vault password was provided from script (%s)", path)
	}
	return pw, nil
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
