package template

// shape is what one walk over a variable's value learns of it: whether it needs
// templating, holds vaulted values, holds unsafe text. Scope.lookup walks each value
// it resolves once, and every later step (templating, opening vaults, tainting the run,
// taking marks off) reads the shape instead of walking again.
type shape uint8

const (
	hasTemplate shape = 1 << iota // a plain string with Jinja2 markup
	hasVaulted                    // a Vaulted value, or a *VaultError in its place
	hasUnsafe                     // an UnsafeText
	allShapes   = hasTemplate | hasVaulted | hasUnsafe
)

func (s shape) has(f shape) bool { return s&f != 0 }

func shapeOf(v any) shape {
	var s shape
	s.walk(v)
	return s
}

// walk adds what v holds to s; it stops early once everything is found.
func (s *shape) walk(v any) {
	switch t := v.(type) {
	case string:
		if IsTemplate(t) {
			*s |= hasTemplate
		}
	case UnsafeText:
		*s |= hasUnsafe
	case Vaulted, *VaultError:
		*s |= hasVaulted
	case []any:
		for _, e := range t {
			if s.walk(e); *s == allShapes {
				return
			}
		}
	case map[string]any:
		for _, e := range t {
			if s.walk(e); *s == allShapes {
				return
			}
		}
	}
}

// settle is v ready to leave this package: vaulted values opened (a failure is the
// error) and, unless keepMarks, unsafe marks taken off. v is copied only when its
// shape says something changes.
func settle(v any, sh shape, keepMarks bool) (any, error) {
	if !sh.has(hasVaulted) && (keepMarks || !sh.has(hasUnsafe)) {
		return v, nil
	}
	return mapLeaves(v, func(leaf any) (any, error) {
		switch t := leaf.(type) {
		case UnsafeText:
			if keepMarks {
				return t, nil
			}
			return string(t), nil
		case Vaulted:
			s, err := t.Decrypt()
			if err != nil {
				return nil, &VaultError{Err: err}
			}
			return s, nil
		case *VaultError:
			return nil, t
		}
		return leaf, nil
	})
}
