package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/internal/yamlvars"
	"github.com/gossible/gossible/vault"
)

// parseExtraVars merges -e values in order, as Ansible's load_extra_vars:
// "@file" (YAML/JSON), a YAML/JSON mapping, or key=value pairs.
func parseExtraVars(values []string) (map[string]any, error) {
	return parseExtraVarsWith(values, nil)
}

// parseExtraVarsWith is parseExtraVars opening vaulted files and !vault
// values with secrets.
func parseExtraVarsWith(values []string, secrets []vault.Secret) (map[string]any, error) {
	out := map[string]any{}
	var order []string
	for _, v := range values {
		var m map[string]any
		var err error
		switch {
		case strings.HasPrefix(v, "@"):
			data, rerr := os.ReadFile(v[1:])
			if rerr != nil {
				return nil, fmt.Errorf("Unable to retrieve file contents\nCould not find or access '%s' on the Ansible Controller.", v[1:])
			}
			m, err = yamlMapping(data, absPath(v[1:]), v[1:], secrets)
		case strings.HasPrefix(strings.TrimSpace(v), "{") || strings.HasPrefix(strings.TrimSpace(v), "---"):
			m, err = yamlMapping([]byte(v), "extra vars", "extra vars", secrets)
		default:
			m, err = kvPairs(v)
		}
		if err != nil {
			return nil, err
		}
		for _, k := range keyorder.Keys(m) {
			if _, seen := out[k]; !seen {
				order = append(order, k)
			}
			out[k] = m[k]
		}
	}
	keyorder.Record(out, order)
	return out, nil
}

// yamlMapping decodes an extra-vars text with Ansible's YAML typing; name
// is the file for decoding errors, what the -e value for Ansible's own
// messages.
func yamlMapping(data []byte, name, what string, secrets []vault.Secret) (map[string]any, error) {
	v, err := yamlvars.Decode(data, name, yamlvars.Options{Secrets: secrets})
	if err != nil {
		var fe *vault.FileError
		switch {
		case errors.Is(err, vault.ErrNoSecrets):
			return nil, vault.ErrNoSecrets // Ansible's whole message
		case errors.As(err, &fe):
			return nil, fe
		}
		return nil, fmt.Errorf("invalid extra vars in %w", err)
	}
	switch t := v.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return t, nil
	}
	return nil, fmt.Errorf("Invalid extra vars data supplied. '%s' could not be made into a dictionary", what)
}

// kvPairs parses k=v words (quoted values allowed) as Ansible's parse_kv;
// values stay strings, as Ansible keeps them.
func kvPairs(s string) (map[string]any, error) {
	words, err := splitWords(s)
	if err != nil {
		return nil, fmt.Errorf("invalid extra vars %q: %v", s, err)
	}
	out := map[string]any{}
	for _, w := range words {
		i := strings.IndexByte(w, '=')
		if i <= 0 {
			return nil, fmt.Errorf("Invalid extra vars data supplied. '%s' could not be made into a dictionary", s)
		}
		out[w[:i]] = w[i+1:]
	}
	return out, nil
}

// splitWords splits on unquoted whitespace, removing the quotes, as
// shlex-style k="a b" arguments are written.
func splitWords(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
			inWord = true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unbalanced quote")
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}
