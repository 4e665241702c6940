// Package vault reads and writes Ansible Vault data, byte-compatible with
// ansible-vault (ansible-core 2.14) in both directions.
//
// Contract:
//   - Envelopes are "$ANSIBLE_VAULT;1.1;AES256" (no vault id) or
//     "$ANSIBLE_VAULT;1.2;AES256;<id>", followed by the hex body wrapped at 80
//     columns and a final newline. The body is hex(hex(salt) "\n" hex(hmac)
//     "\n" hex(ciphertext)); the cipher is AES-256-CTR over PKCS#7-padded
//     plaintext, the HMAC is HMAC-SHA256 over the ciphertext, and the keys
//     come from PBKDF2-HMAC-SHA256(password, salt, 10000 iterations, 80
//     bytes) split 32/32/16 into cipher key, HMAC key and counter IV.
//   - Decrypt tries the secrets whose ID matches the envelope's vault id
//     first, then every other secret, as Ansible does (the id is a hint, not
//     authenticated). No working secret is ErrWrongPassword.
//   - Secrets come from password files (an executable file is run and its
//     stdout used), --vault-id label@source and prompts (LoadSecrets,
//     Options.Load).
//   - A YAML value tagged !vault is a *Value: ciphertext and secrets,
//     decrypted on first use (Ansible's lazy AnsibleVaultEncryptedUnicode);
//     DecodeYAMLValue and DecryptTree decrypt at once.
//
// The package knows nothing about flags; cmd/gossible/vault.go is the CLI.
package vault
