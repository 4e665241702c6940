// Package pyliteral parses Python literals as ast.literal_eval does, for the
// two places Ansible runs it: INI inventory values (inventory) and the typing
// of rendered template strings (template). Results are plain Go data: string,
// int, float64, bool, nil, []any (lists, tuples, sets) and map[string]any,
// whose written key order is recorded with internal/keyorder as Python dicts
// keep it. Options carry the one real difference between the callers: what a
// dict key becomes and whether JSON's true/false/null are names.
//
// Known differences, all on inputs Ansible itself cannot print as JSON:
// complex numbers, Ellipsis and integers beyond 64 bits are not literals
// here.
package pyliteral
