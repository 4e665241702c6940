package vault

import (
	"errors"
	"fmt"
	"strings"
)

// Secret is one vault password and the vault id (label) it was given for.
// ID is DefaultID for secrets given without a label.
type Secret struct {
	ID       string
	Password []byte
}

var (
	// ErrWrongPassword: none of the secrets decrypts the data.
	ErrWrongPassword = errors.New("Decryption failed (no vault secrets were found that could decrypt)")
	// ErrNoSecrets: encrypted data was met but no vault password was given
	// (ansible-playbook's wording).
	ErrNoSecrets = errors.New("Attempting to decrypt but no vault secrets found")
	// ErrNotEncrypted: the input lacks the vault header.
	ErrNotEncrypted = errors.New("input is not vault encrypted data")
	// ErrAlreadyEncrypted: Encrypt refuses to vault a vault.
	ErrAlreadyEncrypted = errors.New("input is already encrypted")
	// ErrEmptyPassword: a secret has no bytes.
	ErrEmptyPassword = errors.New("vault password is empty")
)

// FormatError is malformed vault data (bad header, hex or padding); unlike
// a wrong password it stops the search through the secrets.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

// Encrypt seals plaintext with secret. A vaultID other than "" and
// DefaultID writes format 1.2 carrying the id; otherwise 1.1.
func Encrypt(plaintext []byte, secret []byte, vaultID string) ([]byte, error) {
	return encrypt(plaintext, secret, vaultID, nil)
}

func encrypt(plaintext, secret []byte, vaultID string, salt []byte) ([]byte, error) {
	if len(secret) == 0 {
		return nil, ErrEmptyPassword
	}
	if IsEncrypted(plaintext) {
		return nil, ErrAlreadyEncrypted
	}
	if err := checkID(vaultID); err != nil {
		return nil, err
	}
	body, err := sealAES256(plaintext, secret, salt)
	if err != nil {
		return nil, err
	}
	return formatEnvelope(hexBytes(body), vaultID), nil
}

// Decrypt opens vault data with the first secret that fits.
func Decrypt(data []byte, secrets []Secret) ([]byte, error) {
	pt, _, err := DecryptWithSecret(data, secrets)
	return pt, err
}

// DecryptWithSecret is Decrypt that also returns the secret that worked,
// for edit and rekey, which re-encrypt with it.
func DecryptWithSecret(data []byte, secrets []Secret) ([]byte, Secret, error) {
	env, err := ParseEnvelope(data)
	if err != nil {
		return nil, Secret{}, err
	}
	if env.Cipher != CipherAES256 {
		return nil, Secret{}, fmt.Errorf("%s cipher could not be found", env.Cipher)
	}
	if len(secrets) == 0 {
		return nil, Secret{}, ErrNoSecrets
	}
	salt, sum, ct, err := splitBody(env.Body)
	if err != nil {
		return nil, Secret{}, err
	}
	for _, s := range ordered(secrets, env.VaultID) {
		pt, err := openAES256(salt, sum, ct, s.Password)
		if errors.Is(err, errHMAC) {
			continue
		}
		if err != nil {
			return nil, Secret{}, err
		}
		return pt, s, nil
	}
	return nil, Secret{}, ErrWrongPassword
}

// DecryptFile is Decrypt for data read from name: data without the vault
// header is returned as is, and errors name the file as Ansible's do
// ("... on name"). This is what vars files, -e @file and include_vars use.
func DecryptFile(name string, data []byte, secrets []Secret) ([]byte, error) {
	if !IsEncrypted(data) {
		return data, nil
	}
	pt, err := Decrypt(data, secrets)
	if err != nil {
		return nil, &FileError{Name: name, Err: err}
	}
	return pt, nil
}

// FileError is a decryption error of a named file.
type FileError struct {
	Name string
	Err  error
}

func (e *FileError) Error() string { return e.Err.Error() + " on " + e.Name }
func (e *FileError) Unwrap() error { return e.Err }

// ordered puts the secrets labelled id first, then the rest, each group in
// the order given (the CLI's order is the user's preference).
func ordered(secrets []Secret, id string) []Secret {
	out := make([]Secret, 0, len(secrets))
	for _, s := range secrets {
		if s.ID == id {
			out = append(out, s)
		}
	}
	for _, s := range secrets {
		if s.ID != id {
			out = append(out, s)
		}
	}
	return out
}

// checkID rejects ids that would corrupt the header.
func checkID(id string) error {
	if strings.Contains(id, ";") {
		return fmt.Errorf("'%s' is not a valid vault id. The character ';' is not allowed in vault ids", id)
	}
	if strings.ContainsAny(id, "\r\n") {
		return fmt.Errorf("vault id %q is not valid: it must be a single line", id)
	}
	return nil
}
