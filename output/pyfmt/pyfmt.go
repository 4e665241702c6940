// Package pyfmt formats values the way Ansible's Python callbacks print them.
// It forwards to internal/pyfmt, the one implementation, for the callers
// under executor/ and cmd/ that still import it here.
package pyfmt

import "github.com/gossible/gossible/internal/pyfmt"

// JSON returns v as json.dumps(v, sort_keys=True, ensure_ascii=False,
// indent=indent) would; indent 0 is the compact one-line form.
func JSON(v any, indent int) string { return pyfmt.JSON(v, indent) }

// Str returns the str() Python would print for v.
func Str(v any) string { return pyfmt.Str(v) }

// Repr returns Python's repr() of v.
func Repr(v any) string { return pyfmt.Repr(v) }
