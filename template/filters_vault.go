package template

func init() {
	registerFilter(filterVaultUnsupported, "vault", "unvault")
}

// vault and unvault are not implemented: an explicit error, not "Could not load".
func filterVaultUnsupported(c *call) (any, error) {
	return nil, &plainError{"the vault and unvault filters are not supported by gossible; use ansible-vault encrypted variables instead"}
}
