package vault

import "errors"

// ErrEmptySalt: a salt was given but it has no bytes (Ansible's wording).
var ErrEmptySalt = errors.New("Empty or invalid salt passed to encrypt()")

// EncryptSalted seals plaintext as the template filter `vault` does, which is
// laxer than the ansible-vault CLI (Encrypt): the password may be empty and
// the vault id is written as given, even with a ';' in it, as Ansible writes
// it. A nil salt draws a random one; any other salt is used as it is, so the
// output is deterministic, and an empty one is ErrEmptySalt. Vaulting a vault
// is still ErrAlreadyEncrypted.
func EncryptSalted(plaintext, password []byte, vaultID string, salt []byte) ([]byte, error) {
	if IsEncrypted(plaintext) {
		return nil, ErrAlreadyEncrypted
	}
	if salt != nil && len(salt) == 0 {
		return nil, ErrEmptySalt
	}
	body, err := sealAES256(plaintext, password, salt)
	if err != nil {
		return nil, err
	}
	return formatEnvelope(hexBytes(body), vaultID), nil
}
