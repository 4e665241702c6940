package template

import (
	"fmt"
	"strings"
)

// Scope is a layered, lazily-templated variable scope. It is immutable once built, so one
// Scope may be shared by goroutines; the layer maps are shared too, and never written
// unless the scope is guarded (see Guarded).
type Scope struct {
	layers []map[string]any // low → high precedence
	parent *Scope
	guard  Guard        // nil: the layers are never written
	warner func(string) // where lookups' warnings go; nil: nowhere
}

// WithWarnings returns s with warnings (a lookup's "Unable to find", errors='warn')
// going to fn.
func (s *Scope) WithWarnings(fn func(string)) *Scope {
	c := *s
	c.warner = fn
	return &c
}

// warn passes msg to the nearest scope's warning function.
func (s *Scope) warn(msg string) {
	for sc := s; sc != nil; sc = sc.parent {
		if sc.warner != nil {
			sc.warner(msg)
			return
		}
	}
}

// Guard is held around each read of a guarded scope's layers, for layer maps that
// another goroutine writes under the matching write lock. It is held only while a map
// is read, never while a value is templated, so a slow template (a lookup running a
// command) holds nothing; values themselves must be replaced, never changed in place.
type Guard interface {
	RLock()
	RUnlock()
}

// Guarded returns s with its own layers read under g.
func (s *Scope) Guarded(g Guard) *Scope {
	c := *s
	c.guard = g
	return &c
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
		if v, ok := sc.find(name); ok {
			return v, true
		}
	}
	return nil, false
}

// find is name's untemplated value in the scope's own layers.
func (s *Scope) find(name string) (any, bool) {
	if s.guard != nil {
		s.guard.RLock()
		defer s.guard.RUnlock()
	}
	for i := len(s.layers) - 1; i >= 0; i-- {
		if v, ok := s.layers[i][name]; ok {
			return v, true
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
		sc.names(seen, &out)
	}
	return out
}

func (s *Scope) names(seen map[string]bool, out *[]string) {
	if s.guard != nil {
		s.guard.RLock()
		defer s.guard.RUnlock()
	}
	for _, l := range s.layers {
		for k := range l {
			if !seen[k] {
				seen[k] = true
				*out = append(*out, k)
			}
		}
	}
}

// Lookup returns the value of name templated recursively against the whole scope, as
// plain data: unsafe marks off, vaulted values opened (a failure is the error). A
// variable whose value (indirectly) refers to itself is an error naming the chain.
func (s *Scope) Lookup(name string) (any, bool, error) { return s.lookupPlain(name, nil) }

// lookupPlain is Lookup within a chain of variables being resolved (lookup plugins).
func (s *Scope) lookupPlain(name string, chain *resolving) (any, bool, error) {
	v, sh, ok, err := s.resolve(name, chain, nil)
	if err != nil || !ok {
		return v, ok, err
	}
	v, err = settle(v, sh, false)
	return v, true, err
}

// lookup is name's value for a template (see resolve).
func (s *Scope) lookup(name string, chain *resolving) (any, bool, error) {
	v, _, ok, err := s.resolve(name, chain, nil)
	return v, ok, err
}

// resolve finds name's value, templates it when it holds templates, and opens its
// vaulted values for a template to read (openVaults): a top-level one that cannot be
// opened is the error, a nested one an error value in its place. sh is the shape of
// the value before its vaults were opened: the one walk over an untemplated value.
// Vault failures are recorded in st, the template run's state, when not nil.
func (s *Scope) resolve(name string, chain *resolving, st *runState) (v any, sh shape, ok bool, err error) {
	if s == nil {
		return nil, 0, false, nil
	}
	v, ok = s.raw(name)
	if !ok {
		return nil, 0, false, nil
	}
	sh = shapeOf(v)
	if sh.has(hasTemplate) {
		next, err := chain.push(s, name)
		if err != nil {
			return nil, 0, true, err
		}
		out, err := sharedEngine().render(v, s, next)
		if err != nil {
			err = nestedVault(v, err)
			if errorIn[*VaultError](err) != nil {
				st.record(err)
			}
			return nil, 0, true, err
		}
		v, sh = out, shapeOf(out) // what was templated is walked again: it changed
	}
	v = openVaults(v, sh, st)
	if ve, isErr := v.(*VaultError); isErr {
		return nil, 0, true, ve
	}
	return v, sh, true, nil
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
			return nil, &RecursionError{Chain: names, Source: pyStr(sealed(src))}
		}
	}
	return &resolving{scope: s, name: name, prev: r}, nil
}

// RecursionError reports a variable whose definition refers back to itself.
type RecursionError struct {
	Chain  []string // e.g. a, b, a
	Source string   // the value of the variable met again, as Ansible's message shows it; vaulted values as their ciphertext
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
