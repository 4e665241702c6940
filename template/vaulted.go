package template

import (
	"errors"
	"fmt"
)

// Vaulted values (Ansible's !vault, AnsibleVaultEncryptedUnicode) stay encrypted in the
// scope and are opened at one boundary, Scope.lookup, when a variable is resolved:
//   - for a template (bindNames, hostvars), a value that cannot be opened becomes a
//     *VaultError value in its place, carried by gonja as an undefined value is, so it
//     fails only where the template uses it (openVaults);
//   - data leaving gonja (normalize) that still holds such an error fails the run where
//     it is checked: the output, a filter's input (toGoChecked);
//   - Engine.Render, Plain and Scope.Lookup: data used as is (module arguments,
//     connection variables) is opened deeply, and a failure is their error (settle).
// The plaintext is never templated: lookup opens vaults after templating.

// Vaulted is a value that is decrypted on first use; *vault.Value implements it. It is
// declared here so that opening values needs nothing of the vault package (only the
// vault filters and the unvault lookup use it).
type Vaulted interface {
	Decrypt() (string, error)
}

// VaultError is a vaulted value that could not be opened. Its text is the vault's own
// message, which is all Ansible shows ("Decryption failed (no vault secrets were found
// that could decrypt)"), wrapped once per variable whose template led to the value, as
// Ansible wraps an error raised while templating a variable it looked up.
type VaultError struct {
	Err error
	via []string // the templates that led to the value, outermost first
}

func (e *VaultError) Error() string {
	msg, class := e.Err.Error(), "<class 'ansible.parsing.vault.AnsibleVaultError'>"
	for i := len(e.via) - 1; i >= 0; i-- {
		msg = fmt.Sprintf("An unhandled exception occurred while templating '%s'. Error was a %s, original message: %s", e.via[i], class, msg)
		class = "<class 'ansible.errors.AnsibleError'>"
	}
	return msg
}

func (e *VaultError) Unwrap() error { return e.Err }

// nestedVault is err, the failure of templating variable value v, with v added to the
// path of a vault failure. Only a string value is named: Ansible prints any value, but
// printing a list or dict here would open the vaulted values inside it.
func nestedVault(v any, err error) error {
	ve, ok := err.(*VaultError)
	src, isText := v.(string)
	if !ok || !isText {
		return err
	}
	return &VaultError{Err: ve.Err, via: append([]string{src}, ve.via...)}
}

// openVaults is v with its vaulted values opened, for a template to read: a value that
// cannot be opened becomes its *VaultError, an error value that fails only where the
// template uses it, as an undefined one does; so an unused vaulted variable, or a
// sibling key, still works. v is copied only when sh says it holds a vaulted value.
// The opening is per variable: reading creds.user opens creds.pass too. Each failure
// is recorded in st (when not nil), where translate finds it again if gonja flattens
// it into text.
func openVaults(v any, sh shape, st *runState) any {
	if !sh.has(hasVaulted) {
		return v
	}
	return mapLeavesPure(v, func(leaf any) any {
		t, ok := leaf.(Vaulted)
		if !ok {
			return leaf
		}
		s, err := t.Decrypt()
		if err != nil {
			ve := &VaultError{Err: err}
			st.record(ve)
			return ve
		}
		return s
	})
}

// sealed is v with its vaulted values shown as their ciphertext, for messages that
// print a variable's definition (a recursion error): they must never open it.
func sealed(v any) any {
	return mapLeavesPure(v, func(leaf any) any {
		t, ok := leaf.(Vaulted)
		if !ok {
			return leaf
		}
		if s, ok := t.(fmt.Stringer); ok {
			return s.String()
		}
		return "!vault"
	})
}

// vaultCondMessage words a condition that failed on a vaulted value as Ansible does: the
// vault error is not a templating error there, so it comes without the "error while
// evaluating conditional" part.
func vaultCondMessage(e *CondError) (string, bool) {
	var ve *VaultError
	if !errors.As(e.Err, &ve) {
		return "", false
	}
	return fmt.Sprintf("The conditional check '%s' failed. The error was: %v", e.Cond, ve), true
}
