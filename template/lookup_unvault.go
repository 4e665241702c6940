package template

import (
	"fmt"
	"os"

	"github.com/gossible/gossible/vault"
)

// unvault: the file lookup made vault-aware. Files are found as file finds them and
// opened with the run's vault secrets; a plain file is read as it is. Unlike file, the
// content is not stripped.

func init() {
	registerLookup(lookupUnvault, "unvault")
}

// SetVaultSecrets gives the engine the run's vault secrets (--vault-password-file,
// --vault-id), which the unvault lookup opens files with. Call it before rendering;
// the slice is kept, not copied.
func (e *Engine) SetVaultSecrets(secrets []vault.Secret) { e.vaultSecrets = secrets }

// lookupUnvault takes no options; Ansible ignores any it is given.
func lookupUnvault(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	out := make([]any, 0, len(terms))
	for _, t := range terms {
		term, ok := t.(string)
		if !ok {
			// Ansible's search calls term.startswith
			return nil, &classedErr{"AttributeError", fmt.Sprintf("'%s' object has no attribute 'startswith'", typeName(t))}
		}
		paths, err := lc.searchPaths()
		if err != nil {
			return nil, err
		}
		// FindRelative, not findFile: an empty name finds the files/ directory, as in Ansible
		p, _ := lc.e.FindRelative(paths, lc.basedir(), "files", term)
		if p == "" {
			lc.warnMissing(term)
			return nil, &classedErr{"ansible.errors.AnsibleParserError", fmt.Sprintf("Unable to find file matching \"%s\" ", term)}
		}
		text, err := lc.e.readVaultFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, text)
	}
	return out, nil
}

// readVaultFile is the content of controller file p, decrypted when it is vault data,
// with Ansible's loader's errors.
func (e *Engine) readVaultFile(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil { // a directory, an unreadable file
		return "", &classedErr{"ansible.errors.AnsibleFileNotFound", fmt.Sprintf("Could not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", p)}
	}
	if vault.IsEncrypted(data) && len(e.vaultSecrets) == 0 {
		return "", &classedErr{"ansible.errors.AnsibleParserError", "A vault password or secret must be specified to decrypt " + p}
	}
	pt, err := e.openVaulted(p, data)
	return string(pt), err
}

// openVaulted is data, the content of controller file p, decrypted with the run's
// secrets when it is vault data (as Ansible's loader reads files for lookups).
func (e *Engine) openVaulted(p string, data []byte) ([]byte, error) {
	if !vault.IsEncrypted(data) {
		return data, nil
	}
	if len(e.vaultSecrets) == 0 {
		return nil, &classedErr{"ansible.parsing.vault.AnsibleVaultError", "Attempting to decrypt but no vault secrets found"}
	}
	pt, err := vault.DecryptFile(p, data, e.vaultSecrets)
	if err != nil {
		return nil, &classedErr{"ansible.parsing.vault.AnsibleVaultError", err.Error()}
	}
	return pt, nil
}
