package template

// UnsafeText is text that is never templated again (Ansible's AnsibleUnsafeText, a str
// subclass): module results, gathered facts, with_* loop items, lookup() results, and
// whatever a template run that read such data produces. The mark sits on the leaves, so
// it survives being copied into loops, nested set_fact values and registered results
// with no special case:
//   - Scope.lookup never templates it (needsTemplating sees no string);
//   - a run that binds a variable holding it is tainted, and its result is marked
//     again (MarkUnsafe), as Ansible's AnsibleContext does;
//   - gonja gets it as a plain string (wrapIn), so filters, tests and comparisons treat
//     it as text;
//   - Engine.Render, Eval, Cond and Scope.Lookup hand back plain strings; only
//     RenderMarked keeps the mark, for values stored back into a scope.
type UnsafeText string

// String is the text, so that printing code treats it as a string.
func (u UnsafeText) String() string { return string(u) }

// MarkUnsafe is v with every string inside it marked unsafe (Ansible's wrap_var); maps
// and lists are copied, keys stay plain.
func MarkUnsafe(v any) any {
	return mapLeavesPure(v, func(leaf any) any {
		if s, ok := leaf.(string); ok {
			return UnsafeText(s)
		}
		return leaf
	})
}

// RenderMarked is Render keeping the unsafe marks, for values stored back into a scope
// (set_fact, loop items), where they must stay unsafe. Vaulted values are opened.
func (e *Engine) RenderMarked(v any, s *Scope) (any, error) {
	out, err := e.render(v, s, nil)
	if err != nil {
		return nil, err
	}
	return settle(out, shapeOf(out), true)
}

// Plain is v with its unsafe marks taken off and its vaulted values opened: data
// handed to code that knows nothing of either (module arguments).
func Plain(v any) (any, error) { return settle(v, shapeOf(v), false) }

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
	return Plain(out)
}
