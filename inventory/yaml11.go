package inventory

import (
	"errors"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/yamlvars"
	"github.com/gossible/gossible/vault"
)

// YAML typing (PyYAML's YAML 1.1, JSON for JSON text) and vault
// decryption are yamlvars'; this file adapts its errors to lineError.

// scalarMode says how plain scalars are typed: YAML 1.1, or JSON for a
// document that is JSON text (Ansible's loader tries json.loads first).
type scalarMode int

const (
	modeYAML11 scalarMode = iota
	modeJSON
)

// isJSONText tells whether data is a JSON document.
func isJSONText(data []byte) bool { return yamlvars.IsJSON(data) }

// yamlDoc parses a single-document YAML (or JSON) text into its root node;
// nil for an empty document. Errors carry the line (and column when known).
func yamlDoc(data []byte) (*yaml.Node, error) {
	doc, err := yamlvars.Parse(data, "", yamlvars.Options{})
	if err != nil {
		return nil, asLineError(err)
	}
	return doc.Root, nil
}

// asLineError turns a yamlvars error into the parsers' lineError (the
// caller adds the file).
func asLineError(err error) error {
	var e *yamlvars.Error
	if errors.As(err, &e) {
		return &lineError{line: e.Line, col: e.Col, msg: e.Msg, hint: e.Hint}
	}
	return err
}

// yamlValueMode converts a node to Go values (string, int, float64, bool,
// nil, []any, map[string]any), decrypting !vault values with secrets.
func yamlValueMode(n *yaml.Node, mode scalarMode, secrets []vault.Secret) (any, error) {
	v, err := yamlvars.Value(n, "", yamlvars.Options{JSON: mode == modeJSON, Secrets: secrets})
	return v, asLineError(err)
}

// yamlScalar types one scalar the PyYAML way.
func yamlScalar(n *yaml.Node) (any, error) {
	v, err := yamlvars.Scalar(n)
	return v, asLineError(err)
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// loadVarsData parses a vars file the way Ansible's DataLoader does: a
// vault envelope is decrypted, then JSON is tried before YAML. nil for an
// empty file.
func loadVarsData(data []byte, secrets []vault.Secret) (any, error) {
	v, err := yamlvars.Decode(data, "", yamlvars.Options{Secrets: secrets})
	return v, asLineError(err)
}
