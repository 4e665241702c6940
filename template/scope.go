package template

import (
	"fmt"
	"strings"
)

// Scope is a layered, lazily-templated variable scope. It is immutable once built, so one
// Scope may be shared by goroutines; the layer maps are shared too and never written.
type Scope struct {
	layers []map[string]any // low → high precedence
	parent *Scope
}

// NewScope builds a scope from layers ordered from LOW to HIGH precedence. The maps are not
// copied: callers must not modify them afterwards.
func NewScope(layers ...map[string]any) *Scope {
	return &Scope{layers: layers}
}

// Child returns a scope with layer as a new highest-precedence layer over s.
func (s *Scope) Child(layer map[string]any) *Scope {
	return &Scope{layers: []map[string]any{layer}, parent: s}
}

// raw finds the untemplated value of name, highest layer first.
func (s *Scope) raw(name string) (any, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		for i := len(sc.layers) - 1; i >= 0; i-- {
			if v, ok := sc.layers[i][name]; ok {
				return v, true
			}
		}
	}
	return nil, false
}

// Has reports whether name is defined in any layer (without templating it).
func (s *Scope) Has(name string) bool {
	if s == nil {
		return false
	}
	_, ok := s.raw(name)
	return ok
}

// Names lists every defined variable name once.
func (s *Scope) Names() []string {
	seen := map[string]bool{}
	var out []string
	for sc := s; sc != nil; sc = sc.parent {
		for _, l := range sc.layers {
			for k := range l {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// Lookup returns the value of name templated recursively against the whole scope. A
// variable whose value (indirectly) refers to itself is an error naming the chain.
func (s *Scope) Lookup(name string) (any, bool, error) {
	return revealFound(s.lookup(name, nil))
}

func (s *Scope) lookup(name string, chain *resolving) (any, bool, error) {
	if s == nil {
		return nil, false, nil
	}
	v, ok := s.raw(name)
	if !ok {
		return nil, false, nil
	}
	if !needsTemplating(v) {
		return v, true, nil
	}
	next, err := chain.push(s, name)
	if err != nil {
		return nil, true, err
	}
	out, err := sharedEngine().render(v, s, next)
	if err != nil {
		return nil, true, nestedVault(v, err)
	}
	return out, true, nil
}

// resolving is the chain of variables being templated, to detect recursive definitions.
// It is a linked list on the stack of the call, so a shared Scope stays immutable.
type resolving struct {
	scope *Scope
	name  string
	prev  *resolving
}

func (r *resolving) push(s *Scope, name string) (*resolving, error) {
	for p := r; p != nil; p = p.prev {
		if p.name == name && p.scope == s {
			var names []string
			for q := r; q != nil; q = q.prev {
				names = append([]string{q.name}, names...)
				if q == p {
					break
				}
			}
			names = append(names, name)
			src, _ := s.raw(name)
			return nil, &RecursionError{Chain: names, Source: pyStr(src)}
		}
	}
	return &resolving{scope: s, name: name, prev: r}, nil
}

// RecursionError reports a variable whose definition refers back to itself.
type RecursionError struct {
	Chain  []string // e.g. a, b, a
	Source string   // the value of the variable met again, as Ansible's message shows it
}

func (e *RecursionError) Error() string {
	return fmt.Sprintf("recursive loop detected in template string: %s (variable chain: %s)", e.Source, strings.Join(e.Chain, " -> "))
}

// needsTemplating reports whether v holds a template string anywhere inside it.
func needsTemplating(v any) bool {
	switch t := v.(type) {
	case string:
		return IsTemplate(t)
	case []any:
		for _, e := range t {
			if needsTemplating(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if needsTemplating(e) {
				return true
			}
		}
	}
	return false
}

// IsTemplate reports whether s contains Jinja2 markup ({{, {% or {#).
func IsTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%") || strings.Contains(s, "{#")
}
