package template

import "github.com/gossible/gossible/vault"

// vault and unvault: Ansible's encryption filters. The password is the filter's
// argument, not one of the run's vault secrets; errors never show it.

func init() {
	registerFilter(filterVault, "vault")
	registerFilter(filterUnvault, "unvault")
}

// filterDefaultID is both filters' default vault id: it makes vault write format 1.2.
const filterDefaultID = "filter_default"

// filterVault is do_vault(data, secret, salt=None, vaultid='filter_default',
// wrap_object=False). A salt makes the output deterministic; a false vault id (none,
// the empty string) or "default" writes format 1.1.
func filterVault(c *call) (any, error) {
	if err := c.sig("do_vault", []string{"secret"}, "salt", "vaultid", "wrap_object"); err != nil {
		return nil, err
	}
	secret, ok := c.arg(0, "secret", nil).(string)
	if !ok {
		return nil, typeErrorf("Secret passed is required to be a string, instead we got: <class '%s'>", typeName(c.arg(0, "secret", nil)))
	}
	data, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("Can only vault strings, instead we got: <class '%s'>", typeName(c.in))
	}
	// Ansible takes any salt as the bytes of its str(); a false one (0, '') is refused
	var salt []byte
	if s := c.arg(1, "salt", nil); s != nil {
		salt = []byte{}
		if truthy(s) {
			salt = []byte(pyStr(s))
		}
	}
	id := ""
	if v := c.arg(2, "vaultid", filterDefaultID); truthy(v) {
		id = pyStr(v)
	}
	out, err := vault.EncryptSalted([]byte(data), []byte(secret), id, salt)
	if err != nil {
		return nil, &plainError{"Unable to encrypt: " + err.Error()}
	}
	if c.boolArg(3, "wrap_object", false) {
		return vaultObject(out), nil
	}
	return string(out), nil
}

// filterUnvault is do_unvault(vault, secret, vaultid='filter_default'): text that is
// not vault data comes back as it is.
func filterUnvault(c *call) (any, error) {
	if err := c.sig("do_unvault", []string{"secret"}, "vaultid"); err != nil {
		return nil, err
	}
	secret, ok := c.arg(0, "secret", nil).(string)
	if !ok {
		// "as string": Ansible's wording, typo included
		return nil, typeErrorf("Secret passed is required to be as string, instead we got: <class '%s'>", typeName(c.arg(0, "secret", nil)))
	}
	text, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("Vault should be in the form of a string, instead we got: <class '%s'>", typeName(c.in))
	}
	if !vault.IsEncrypted([]byte(text)) {
		return text, nil
	}
	// the id only orders the secrets tried, and there is one
	id := pyStr(c.arg(1, "vaultid", filterDefaultID))
	pt, err := vault.Decrypt([]byte(text), []vault.Secret{{ID: id, Password: []byte(secret)}})
	if err != nil {
		return nil, &plainError{"Unable to decrypt: " + err.Error()}
	}
	return string(pt), nil
}

// vaultObject is vault's wrap_object=True result, Ansible's AnsibleVaultEncryptedUnicode
// made without a secret to open it: wherever it is used it reads as its ciphertext, as
// Ansible renders it, and unvault opens it with the password it is given.
type vaultObject string

var _ Vaulted = vaultObject("")

func (v vaultObject) Decrypt() (string, error) { return string(v), nil }

func (v vaultObject) String() string { return string(v) }
