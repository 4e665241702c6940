// Package yamlvars decodes variable data (vars files, play and role vars,
// inventories, extra vars) from YAML or JSON the way Ansible's DataLoader
// does, so every loader in gossible types values alike.
//
// Contract:
//   - Text that is a JSON document is typed as JSON (Ansible tries
//     json.loads first); anything else as YAML 1.1 (PyYAML): yes/no/on/off
//     are booleans, 0644 is octal, 1:30 is sexagesimal, 1.0e5 is a string,
//     merge keys (<<) are honoured.
//   - Values come back as map[string]any, []any, string, int, float64,
//     bool, nil or *vault.Value; every mapping's key order is recorded
//     with keyorder.
//   - A whole-file vault envelope is decrypted with Options.Secrets at load;
//     without secrets that is an error naming the place, in Ansible's words.
//   - A !vault value becomes a *vault.Value holding its ciphertext and the
//     secrets, decrypted when it is used (Ansible's lazy
//     AnsibleVaultEncryptedUnicode).
//   - !unsafe values are plain strings; Options.RejectUnsafeTemplates refuses
//     those that hold Jinja markers (template.UnsafeText, the marker the
//     executor uses for module results, is not applied at load).
//   - Errors are *Error, carrying file:line:col.
package yamlvars
