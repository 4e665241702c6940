// Package pyfmt prints values exactly as CPython does, for the places where
// Ansible's output is Python's: json.dumps(sort_keys=True,
// ensure_ascii=False) with or without indent, repr() and str() of plain data
// (nil, bool, ints, float64, string, []any, map[string]any), and float repr.
// Repr and Str print mapping keys in the order recorded by internal/keyorder
// (Python dicts keep insertion order), sorted for maps never recorded; JSON
// always sorts them. It is the one implementation: inventory, template and
// output all print through it.
package pyfmt
