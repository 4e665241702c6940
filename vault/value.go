package vault

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"
)

// Value is a !vault tagged YAML value kept encrypted until first use, as
// Ansible's AnsibleVaultEncryptedUnicode is: a value nobody reads never
// needs a password, and a wrong or missing one fails where the value is
// used, not where the file is loaded. The plaintext is never templated
// (Ansible marks vaulted values unsafe).
//
// A Value is shared by every host and goroutine that reads the variable;
// it decrypts at most once.
type Value struct {
	ciphertext string   // the envelope as written, for display and re-serialising
	secrets    []Secret // shared with the loader; never written

	once  sync.Once
	plain string
	err   error
}

// NewValue wraps ciphertext (the text of a !vault scalar) with the secrets
// that will open it. The slice is kept, not copied.
func NewValue(ciphertext string, secrets []Secret) *Value {
	return &Value{ciphertext: ciphertext, secrets: secrets}
}

// Decrypt returns the plaintext, decrypting on the first call. Its errors
// are the vault's own (ErrWrongPassword, ErrNoSecrets, a *FormatError...),
// worded as Ansible words them, without a place: Ansible's task failure
// shows the bare message.
func (v *Value) Decrypt() (string, error) {
	v.once.Do(func() {
		pt, err := Decrypt([]byte(strings.TrimSpace(v.ciphertext)), v.secrets)
		switch {
		case err != nil:
			v.err = err
		case !utf8.Valid(pt):
			v.err = errors.New("decrypted !vault value is not UTF-8 text")
		default:
			v.plain = string(pt)
		}
	})
	return v.plain, v.err
}

// Ciphertext is the envelope as it was written in the YAML.
func (v *Value) Ciphertext() string { return v.ciphertext }

// String is the ciphertext, never the plaintext: a Value printed by
// accident (a %v in a log line) must not leak the secret, nor the
// passwords it holds.
func (v *Value) String() string { return v.ciphertext }

// GoString keeps %#v (a debugging dump, a test failure) from printing the
// plaintext and passwords held in the struct's fields.
func (v *Value) GoString() string { return "vault.Value(" + v.ciphertext + ")" }

// JSONData is what JSON output shows for a Value that was never decrypted
// (ansible-inventory --list, include_vars' ansible_facts in a result):
// Ansible's encoder writes {"__ansible_vault": "<envelope>"}.
func (v *Value) JSONData() any {
	return map[string]any{"__ansible_vault": v.ciphertext}
}
