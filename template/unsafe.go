package template

// Unsafe marks data that is never templated again (Ansible's AnsibleUnsafe): module
// results, gathered facts, lookup() results and whatever a template builds from them.
// Templates still read it as plain data (r.stdout | length); only rendering the text
// as a template is prevented. The marker lives in scope layers only:
//   - Scope.lookup hands it back untemplated, and a template run that reads it (or
//     calls lookup()) yields an Unsafe result, so a variable built from it stays unsafe;
//   - wrapIn, Engine.Render, Scope.Lookup and Eval take it off (reveal, openForGonja),
//     so no caller outside this package meets it except through RenderMarked.
type Unsafe struct{ V any }

// RenderMarked is Render keeping the Unsafe marker on what came from unsafe data, for
// values stored back into a scope (set_fact), where they must stay unsafe.
func (e *Engine) RenderMarked(v any, s *Scope) (any, error) {
	return e.render(v, s, nil)
}

// Plain is v with every Unsafe marker taken off and vaulted value opened.
func Plain(v any) (any, error) { return reveal(v) }

// holdsUnsafe reports whether an Unsafe value is anywhere inside v.
func holdsUnsafe(v any) bool {
	switch t := v.(type) {
	case Unsafe:
		return true
	case []any:
		for _, e := range t {
			if holdsUnsafe(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if holdsUnsafe(e) {
				return true
			}
		}
	}
	return false
}

// taint marks the run as having read unsafe data: its result is unsafe too.
func (st *runState) taint() {
	if st == nil {
		return
	}
	st.mu.Lock()
	st.unsafe = true
	st.mu.Unlock()
}

func (st *runState) tainted() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.unsafe
}

// renderPlain is render for data used at once (lookup terms): no marker kept.
func (e *Engine) renderPlain(v any, s *Scope, chain *resolving) (any, error) {
	out, err := e.render(v, s, chain)
	if err != nil {
		return nil, err
	}
	return reveal(out)
}
