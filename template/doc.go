// Package template renders Ansible's Jinja2 templates with ansible-core 2.14 semantics.
//
// Contract:
//   - Variables live in a Scope: layers from low to high precedence, never copied or
//     written, templated lazily on access (a string holding {{ }} renders against the whole
//     scope); a recursive definition is a *RecursionError naming the chain.
//   - Engine.Render types results as Ansible 2.14 does without jinja2_native: "{{ name }}"
//     naming a number, bool or None keeps it; every other template renders to text that
//     becomes a list, dict or bool again when it reads as a Python literal; the output of
//     string filters (to_json, to_yaml, string...) stays text.
//   - Undefined names and attributes are *UndefinedError with Ansible's wording; syntax
//     errors, unknown filters/tests and failing filters are *TemplateError with Ansible's
//     "template error while templating string: ... String: <template>" frame.
//   - Dicts keep Python's insertion order wherever Ansible shows or walks it (str(),
//     to_json, items(), dict2items, combine, for loops, with_dict...): maps record their
//     key order with internal/keyorder when made; to_nice_json, to_yaml and dictsort sort.
//   - Filters and tests are registered one function each (registry.go); unknown ones are
//     errors naming them, even in a branch that never runs.
//
// The Jinja2 engine (gonja) is an implementation detail: no other package imports it.
// Where gonja differs from Jinja2 the parsed tree is adjusted (ast.go) or the filter is
// replaced here. testdata/corpus.yaml holds cases whose expected results come from real
// ansible-core (testdata/oracle/oracle.py → testdata/golden.json).
package template
