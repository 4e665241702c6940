package vault

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// YAML tags of vaulted scalars; "!vault-encrypted" is the older spelling
// Ansible still reads.
const (
	TagVault          = "!vault"
	tagVaultEncrypted = "!vault-encrypted"
)

// YAMLError is a !vault value that could not be decrypted, with its
// position in the document (1-based; the caller adds the file name).
type YAMLError struct {
	Line, Column int
	Err          error
}

func (e *YAMLError) Error() string {
	return fmt.Sprintf("line %d, column %d: !vault value: %v", e.Line, e.Column, e.Err)
}
func (e *YAMLError) Unwrap() error { return e.Err }

// IsVaultNode reports whether node is a scalar tagged !vault.
func IsVaultNode(node *yaml.Node) bool {
	return node != nil && (node.Tag == TagVault || node.Tag == tagVaultEncrypted)
}

// DecodeYAMLValue decrypts a `!vault |` scalar to its text.
func DecodeYAMLValue(node *yaml.Node, secrets []Secret) (string, error) {
	if !IsVaultNode(node) {
		return "", &YAMLError{Line: line(node), Column: col(node), Err: fmt.Errorf("expected a %s tagged value", TagVault)}
	}
	if node.Kind != yaml.ScalarNode {
		return "", &YAMLError{Line: node.Line, Column: node.Column, Err: fmt.Errorf("%s must tag a string (the ansible-vault encrypt_string output), not a mapping or list", TagVault)}
	}
	pt, err := Decrypt([]byte(strings.TrimSpace(node.Value)), secrets)
	if err != nil {
		return "", &YAMLError{Line: node.Line, Column: node.Column, Err: err}
	}
	if !utf8.Valid(pt) {
		return "", &YAMLError{Line: node.Line, Column: node.Column, Err: fmt.Errorf("decrypted value is not UTF-8 text")}
	}
	return string(pt), nil
}

// DecryptTree replaces every !vault scalar under node with a plain string
// scalar holding its plaintext, so the tree decodes like unvaulted YAML.
// Ansible decrypts lazily, on first use; callers wanting that can skip
// this and call DecodeYAMLValue when a value is read.
func DecryptTree(node *yaml.Node, secrets []Secret) error {
	if node == nil {
		return nil
	}
	if IsVaultNode(node) {
		pt, err := DecodeYAMLValue(node, secrets)
		if err != nil {
			return err
		}
		node.Tag, node.Value, node.Style = "!!str", pt, 0
		return nil
	}
	for _, c := range node.Content {
		if err := DecryptTree(c, secrets); err != nil {
			return err
		}
	}
	return nil
}

// FormatYAML renders vaulted text as ansible-vault encrypt_string does:
// "name: !vault |" (or "!vault |" without a name) and the envelope
// indented by 10 spaces, without a final newline.
func FormatYAML(vaulted []byte, name string) string {
	var b strings.Builder
	if name != "" {
		b.WriteString(name + ": ")
	}
	b.WriteString(TagVault + " |")
	for _, l := range strings.Split(strings.TrimRight(string(vaulted), "\n"), "\n") {
		b.WriteString("\n          " + l)
	}
	return b.String()
}

func line(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

func col(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Column
}
