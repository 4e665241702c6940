package modules

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.set_fact", Local: true, New: func() Module { return setFactModule{} }})
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

type setFactModule struct{}

// Run implements set_fact: every argument but cacheable becomes a fact in
// "ansible_facts"; strings reading yes/no/true/false become booleans, as
// Ansible does without native Jinja types.
func (setFactModule) Run(_ context.Context, _ *Env, args map[string]any) (Result, error) {
	facts := map[string]any{}
	cacheable := false
	for k, v := range args {
		if k == "cacheable" {
			b, err := toBool(v)
			if err != nil {
				return failed(fmt.Sprintf("argument 'cacheable' is of type %s and we were unable to convert to bool: %v", pyType(v), err)), nil
			}
			cacheable = b
			continue
		}
		if !identifier.MatchString(k) || pyKeyword[k] {
			return failed(fmt.Sprintf("The variable name '%s' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.", k)), nil
		}
		if s, ok := v.(string); ok {
			switch strings.ToLower(s) {
			case "true", "yes":
				v = true
			case "false", "no":
				v = false
			}
		}
		facts[k] = v
	}
	if len(facts) == 0 {
		return failed("No key/value pairs provided, at least one is required for this action to succeed"), nil
	}
	return Result{"changed": false, "ansible_facts": facts, "_ansible_facts_cacheable": cacheable}, nil
}

// pyKeyword are names Python's isidentifier check in Ansible rejects.
var pyKeyword = map[string]bool{"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true,
	"async": true, "await": true, "break": true, "class": true, "continue": true, "def": true, "del": true,
	"elif": true, "else": true, "except": true, "finally": true, "for": true, "from": true, "global": true,
	"if": true, "import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true,
	"or": true, "pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true}
