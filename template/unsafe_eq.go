package template

import (
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// == and != compare plain data: gonja compares strings by their Go type, and an
// UnsafeText met inside a list or dict (a for loop over r.stdout_lines) must equal the
// same text, as Ansible's str subclass does. The operands are normalized and gonja's
// own comparison does the rest.
const (
	fnEq = "\x00eq"
	fnNe = "\x00ne"
)

func init() {
	operatorHelpers[tokens.Equals] = fnEq
	operatorHelpers[tokens.Ne] = fnNe
	operatorFuncs[fnEq] = equalityHelper(false)
	operatorFuncs[fnNe] = equalityHelper(true)
}

func equalityHelper(negate bool) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return binaryHelper(func(a, b any) (any, error) {
		if eq, ok := pyObjectEqual(a, b); ok {
			return eq != negate, nil
		}
		eq := exec.AsValue(a).EqualValueTo(exec.AsValue(b))
		return eq != negate, nil
	})
}
