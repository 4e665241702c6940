package main

import (
	"errors"
	"strings"

	"github.com/gossible/gossible/config"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/vault"
)

// loadVaultSecrets reads ansible-playbook's vault sources once, in
// Ansible's order: vault_identity_list, --vault-id, --vault-password-file,
// vault_password_file, then the --ask-vault-password prompt. No source
// is no secrets (vaulted data is then an error where it is met).
func loadVaultSecrets(cfg *config.Config, f *playbookFlags, disp *display.Display) ([]vault.Secret, error) {
	ids := append(append([]string(nil), cfg.VaultIdentityList...), f.vaultIDs...)
	files := append([]string(nil), f.vaultPasswordFiles...)
	if cfg.VaultPasswordFile != "" {
		files = append(files, cfg.VaultPasswordFile)
	}
	ask := f.askVault || (cfg.AskVaultPass && !f.askVaultSet)
	opts := vault.Options{
		IDs:           ids,
		PasswordFiles: files,
		AskVaultPass:  ask,
		Prompt:        vaultPrompt,
		Warn:          disp.Warning,
	}
	return opts.Load()
}

// vaultFail is fail for load errors, except that a vault failure is not a
// parser error in Ansible: "ERROR! <vault message>" and exit code 1.
func vaultFail(err error) error {
	var pe *playbook.Error
	if errors.As(err, &pe) && isVaultMessage(pe.Msg) {
		return &exitError{code: exitGeneric, msg: strings.TrimRight(pe.Error(), "\n")}
	}
	return fail(err)
}

func isVaultMessage(msg string) bool {
	return strings.HasPrefix(msg, vault.ErrNoSecrets.Error()) || strings.HasPrefix(msg, "Decryption failed")
}
