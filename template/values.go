package template

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// dictValue is a variable's mapping as gonja sees it: a map (so gonja's own filters and
// loops work on it) whose missing keys are Ansible's "'dict object' has no attribute" errors
// rather than gonja's untyped ones. Children are wrapped on access, so nothing is copied.
type dictValue map[string]any

func (d dictValue) GetAttribute(name string) (*exec.Value, bool) {
	if v, ok := d[name]; ok {
		return exec.ToValue(wrap(v)), true
	}
	return exec.AsValue(&UndefinedError{Object: "dict object", Attr: name}), false
}

func (d dictValue) GetItem(key any) (*exec.Value, bool) {
	k, ok := key.(string)
	if !ok {
		return exec.AsValue(&UndefinedError{Object: "dict object", Attr: fmt.Sprint(key)}), false
	}
	return d.GetAttribute(k)
}

// listValue is a variable's list as gonja sees it; a missing index is Ansible's
// "list object has no element N".
type listValue []any

func (l listValue) GetAttribute(name string) (*exec.Value, bool) {
	return exec.AsValue(&UndefinedError{Object: "list object", Attr: name}), false
}

func (l listValue) GetItem(key any) (*exec.Value, bool) {
	i, ok := key.(int)
	if !ok {
		return exec.AsValue(&UndefinedError{Object: "list object", Attr: fmt.Sprint(key)}), false
	}
	j := i
	if j < 0 {
		j += len(l)
	}
	if j < 0 || j >= len(l) {
		return exec.AsValue(&UndefinedError{Object: "list object", Index: &i}), false
	}
	return exec.ToValue(wrap(l[j])), true
}

// scopeValue makes a *Scope found inside variables (hostvars[host]) behave as a mapping
// whose values are templated on access.
type scopeValue struct {
	s     *Scope
	chain *resolving
}

func (sv scopeValue) GetAttribute(name string) (*exec.Value, bool) {
	v, ok, err := sv.s.lookup(name, sv.chain)
	if err != nil {
		return exec.AsValue(err), false
	}
	if !ok {
		return exec.AsValue(&UndefinedError{Object: "dict object", Attr: name}), false
	}
	return exec.ToValue(wrapIn(v, sv.chain)), true
}

func (sv scopeValue) GetItem(key any) (*exec.Value, bool) {
	k, ok := key.(string)
	if !ok {
		return exec.AsValue(&UndefinedError{Object: "dict object", Attr: fmt.Sprint(key)}), false
	}
	return sv.GetAttribute(k)
}

func (sv scopeValue) String() string { return "HostVarsVars" }

// wrap prepares a Go value for gonja (see dictValue, listValue, scopeValue). Values
// come from Scope.lookup, their vaults already opened.
func wrap(v any) any { return wrapIn(v, nil) }

func wrapIn(v any, chain *resolving) any {
	switch t := v.(type) {
	case UnsafeText:
		// gonja compares and formats it as text; the run was tainted when it was bound
		return string(t)
	case map[string]any:
		return dictValue(t)
	case []any:
		return listValue(t)
	case *Scope:
		return scopeValue{s: t, chain: chain}
	}
	return v
}
