package template

import (
	"strings"

	"github.com/gossible/gossible/internal/pyliteral"
)

// literalConvert is Ansible 2.14's ansible_eval_concat typing: a rendered string that looks
// like a list, dict or bool and parses as a Python literal (JSON's true/false/null allowed)
// becomes that value; anything else stays a string.
func literalConvert(out string) any {
	if !strings.HasPrefix(out, "{") && !strings.HasPrefix(out, "[") && out != "True" && out != "False" {
		return out
	}
	v, err := pyliteral.Parse(out, literalOptions)
	if err != nil {
		return out
	}
	return v
}

// literalOptions: dict keys become the str() of the Python key, as everywhere in templates.
var literalOptions = pyliteral.Options{JSONNames: true, Key: literalKey}

func literalKey(k any) (string, bool) {
	switch k.(type) {
	case []any, map[string]any:
		return "", false // unhashable
	}
	return keyString(k), true
}
