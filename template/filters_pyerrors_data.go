package template

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Python's wording of the data decoders' failures: json.loads, yaml.safe_load and
// base64.b64decode raise exceptions Ansible lets through (see PyException).

// pyJSONError words the commonest JSON mistakes as Python's json module does; others
// get "Expecting value" at the first character that is not white space.
func pyJSONError(s string, _ error) string {
	at := func(what string, i int) string {
		line := strings.Count(s[:i], "\n") + 1
		col := i - strings.LastIndex(s[:i], "\n")
		return fmt.Sprintf("%s: line %d column %d (char %d)", what, line, col, len([]rune(s[:i])))
	}
	i := skipJSONSpace(s, 0)
	if i < len(s) && s[i] == '{' {
		j := skipJSONSpace(s, i+1)
		if j >= len(s) || (s[j] != '"' && s[j] != '}') {
			return at("Expecting property name enclosed in double quotes", j)
		}
	}
	if i < len(s) {
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		var v any
		if dec.Decode(&v) == nil { // a whole value, then more
			return at("Extra data", skipJSONSpace(s, i+int(dec.InputOffset())))
		}
	}
	return at("Expecting value", i)
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && strings.ContainsRune(" \t\r\n", rune(s[i])) {
		i++
	}
	return i
}

// yamlException is a YAML document that does not parse. PyYAML's messages show the
// place differently; gossible keeps go-yaml's text under PyYAML's exception name.
func yamlException(err error) error {
	return pyException("yaml.parser.ParserError", strings.TrimPrefix(err.Error(), "yaml: "))
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// pyB64Decode is base64.b64decode without validation: characters outside the alphabet
// are dropped, and a length that cannot be base64 fails with binascii's words.
func pyB64Decode(s string) ([]byte, error) {
	var data strings.Builder
	pad := 0
	for _, r := range s {
		switch {
		case r == '=':
			pad++
		case strings.ContainsRune(b64Alphabet, r):
			if pad > 0 { // data after padding: Python stops at the padding
				break
			}
			data.WriteRune(r)
		}
	}
	d := data.String()
	if len(d)%4 == 1 {
		return nil, pyException("binascii.Error", fmt.Sprintf("Invalid base64-encoded string: number of data characters (%d) cannot be 1 more than a multiple of 4", len(d)))
	}
	if (len(d)+pad)%4 != 0 && len(d)%4 != 0 {
		return nil, pyException("binascii.Error", "Incorrect padding")
	}
	return base64.RawStdEncoding.DecodeString(d)
}
