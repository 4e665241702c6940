package template

import (
	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/parser"
)

// statements are the tags Ansible's Jinja2 knows: Jinja2's built-ins without extensions
// (Ansible enables none by default, so do, break, continue and trans are unknown tags),
// with this package's include, import, from, call and for (see include.go, macros.go,
// stmt_for.go).
func statements() *exec.ControlStructureSet {
	set := map[string]parser.ControlStructureParser{
		"include": includeParser,
		"import":  importParser,
		"from":    fromParser,
		"call":    callTagParser,
		"for":     forParser,
	}
	for _, name := range []string{"autoescape", "block", "extends", "filter", "if", "macro", "raw", "set", "with"} {
		if p, ok := builtins.ControlStructures.Get(name); ok {
			set[name] = p
		}
	}
	return exec.NewControlStructureSet(set)
}
