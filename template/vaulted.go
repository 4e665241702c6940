package template

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/gossible/gossible/internal/keyorder"
)

// Vaulted values (Ansible's !vault, AnsibleVaultEncryptedUnicode) stay encrypted in the
// scope and are opened where a template, a module argument or the executor reads them:
//   - wrapIn: a variable handed to gonja has its vaulted values opened (a list or dict is
//     copied); one that cannot be opened becomes an error value, which fails only where
//     the template uses it, so an unused vaulted variable, or a sibling key, still works;
//   - normalize: a vaulted value, or one that failed to open, inside data leaving gonja
//     ({{ creds }}, creds | to_json) aborts the template run (a panic that guard recovers);
//   - Engine.Render and Scope.Lookup: data used as is (module arguments, connection
//     variables) is opened deeply, and a failure is their error.
// The plaintext is never templated: Ansible marks vaulted values unsafe.

// Vaulted is a value that is decrypted on first use; *vault.Value implements it. It is
// declared here so that this package needs nothing of the vault package.
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
	return remember(&VaultError{Err: ve.Err, via: append([]string{src}, ve.via...)})
}

// openVaulted is v's plaintext, or a *VaultError as a value: gonja carries it until
// something uses it, so an unused vaulted variable costs nothing.
func openVaulted(v Vaulted) any {
	s, err := v.Decrypt()
	if err != nil {
		return newVaultError(err)
	}
	return s
}

// mustOpen is the plaintext of x (a Vaulted or a *VaultError) for code that cannot
// return an error (normalize); a failure panics with the *VaultError, which guard turns
// back into the template's error.
func mustOpen(x any) string {
	if v, ok := x.(Vaulted); ok {
		x = openVaulted(v)
	}
	if s, ok := x.(string); ok {
		return s
	}
	panic(x.(*VaultError))
}

// openForGonja opens the vaulted values in v for gonja, whose own filters and loops read
// lists and dicts directly: a value that cannot be opened becomes a *VaultError in its
// place. v is copied only when it holds a vaulted value.
func openForGonja(v any) any {
	if !holdsVaulted(v) {
		return v
	}
	switch t := v.(type) {
	case Vaulted:
		return openVaulted(t)
	case Unsafe:
		return openForGonja(t.V)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = openForGonja(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = openForGonja(e)
		}
		keyorder.CopyOrder(out, t)
		return out
	}
	return v
}

// recoveredVault is the *VaultError a recovered panic carries, if it is one.
func recoveredVault(r any) (*VaultError, bool) {
	ve, ok := r.(*VaultError)
	return ve, ok
}

// reveal returns v with every vaulted value inside it opened. Maps and lists are copied
// only when they hold one, so plain data costs a walk and no allocation.
func reveal(v any) (any, error) {
	if !holdsVaulted(v) {
		return v, nil
	}
	switch t := v.(type) {
	case Vaulted:
		s, err := t.Decrypt()
		if err != nil {
			return nil, newVaultError(err)
		}
		return s, nil
	case Unsafe:
		return reveal(t.V)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			r, err := reveal(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			r, err := reveal(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		keyorder.CopyOrder(out, t)
		return out, nil
	}
	return v, nil
}

// revealFound is reveal for a (value, found, error) lookup result.
func revealFound(v any, ok bool, err error) (any, bool, error) {
	if err != nil || !ok {
		return v, ok, err
	}
	v, err = reveal(v)
	return v, true, err
}

// holdsVaulted reports whether a vaulted value, or an Unsafe marker (taken off by the
// same walks), is anywhere inside v.
func holdsVaulted(v any) bool {
	switch t := v.(type) {
	case Vaulted, Unsafe:
		return true
	case []any:
		for _, e := range t {
			if holdsVaulted(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if holdsVaulted(e) {
				return true
			}
		}
	}
	return false
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

// vaultIn finds a *VaultError anywhere in err's chain (through gonja values).
func vaultIn(err error) *VaultError {
	for e := err; e != nil; {
		switch t := e.(type) {
		case *VaultError:
			return t
		case *exec.Value:
			inner, _ := t.Interface().(error)
			e = inner
			continue
		}
		e = errors.Unwrap(e)
	}
	return nil
}

// vaultMessages are the texts of the vault errors met so far (a handful: wrong password,
// no password, and the variables that led to them): gonja flattens a failing filter's
// input error into text, and vaultFromText finds the typed error again by its message,
// as translate does for the errors a run records.
var vaultMessages sync.Map // message → *VaultError

func newVaultError(err error) *VaultError { return remember(&VaultError{Err: err}) }

func remember(ve *VaultError) *VaultError {
	vaultMessages.LoadOrStore(ve.Error(), ve)
	return ve
}

// vaultFromText is the vault error with the longest text that msg contains, or nil.
func vaultFromText(msg string) *VaultError {
	var found *VaultError
	best := 0
	vaultMessages.Range(func(k, v any) bool {
		if text := k.(string); len(text) > best && strings.Contains(msg, text) {
			found, best = v.(*VaultError), len(text)
		}
		return true
	})
	return found
}
