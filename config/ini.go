package config

import (
	"fmt"
	"strings"
)

// parseINI reads the subset of Python's configparser syntax Ansible files
// use: [sections], key = value or key: value, # and ; comment lines, and
// indented continuation lines. Inline "# comments" after a value are kept as
// part of the value only when not preceded by whitespace, as configparser
// with inline_comment_prefixes does for Ansible.
func parseINI(file, text string) (map[string]map[string]iniValue, error) {
	out := map[string]map[string]iniValue{}
	var section map[string]iniValue
	var lastKey string
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if section != nil && lastKey != "" {
				v := section[lastKey]
				v.val = strings.TrimSpace(v.val + "\n" + trimmed)
				section[lastKey] = v
				continue
			}
			return nil, fmt.Errorf("%s:%d: unexpected indented line %q", file, n, trimmed)
		}
		if trimmed[0] == '[' {
			if !strings.HasSuffix(trimmed, "]") {
				return nil, fmt.Errorf("%s:%d: section header %q is missing its closing ']'", file, n, trimmed)
			}
			name := strings.TrimSpace(trimmed[1 : len(trimmed)-1])
			if out[name] == nil {
				out[name] = map[string]iniValue{}
			}
			section, lastKey = out[name], ""
			continue
		}
		if section == nil {
			return nil, fmt.Errorf("%s:%d: %q comes before any [section] header", file, n, trimmed)
		}
		sep := strings.IndexAny(trimmed, "=:")
		if sep < 0 {
			return nil, fmt.Errorf("%s:%d: expected 'key = value', got %q", file, n, trimmed)
		}
		key := strings.ToLower(strings.TrimSpace(trimmed[:sep]))
		val := stripInlineComment(strings.TrimSpace(trimmed[sep+1:]))
		section[key] = iniValue{val: val, where: fmt.Sprintf("%s:%d", file, n)}
		lastKey = key
	}
	return out, nil
}

// stripInlineComment drops " # comment" and " ; comment" tails.
func stripInlineComment(v string) string {
	for i := 1; i < len(v); i++ {
		if (v[i] == '#' || v[i] == ';') && (v[i-1] == ' ' || v[i-1] == '\t') {
			return strings.TrimSpace(v[:i])
		}
	}
	return v
}
