package template

import (
	"cmp"
	"errors"
	"math"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Python's operators. gonja's coerce their operands as JavaScript does ('a' - 1 is -1,
// 1 + 'a' is "1a", [1] * 2 is 0); Jinja2 runs Python's, which raise TypeError. So the
// parsed tree calls a hidden helper for each of + - * / // % ** ~, the orderings, `in`
// and unary - and + (see ast.go), and the helper computes on plain Go data (toGo) as
// Python does: bool is an int, int and float mix, str and list concatenate and
// repeat, lists order element by element, strings by code point. An operand Python
// has no operation for is Python's TypeError in Python's words, which the template run
// reports as Ansible does (typeFrameError); a division by zero is the bare
// ZeroDivisionError, as Ansible lets it through. Datetime values keep their own
// arithmetic (datetime_ops.go). Undefined operands never reach a helper: gonja fails
// the call with the undefined error first.
//
// Known limits: integers are 64-bit (a result past that is an error, where Python
// grows the int); unsafe and vaulted text reach the helpers as str, so a message names
// 'str' where Ansible names AnsibleUnsafeText, and vaulted text concatenates only as
// str does.

// Hidden names of the helpers ast.go calls, besides pymath.go's.
const (
	fnAdd    = "\x00add"
	fnSub    = "\x00sub"
	fnMul    = "\x00mul"
	fnLt     = "\x00lt"
	fnLe     = "\x00le"
	fnGt     = "\x00gt"
	fnGe     = "\x00ge"
	fnConcat = "\x00concat" // ~
	fnIn     = "\x00in"     // `x in y`, which gonja parses as the test `in`
	fnPos    = "\x00pos"    // unary plus
)

// operatorFuncs are the hidden helpers, installed as globals of every template.
var operatorFuncs = map[string]any{}

func init() {
	for _, o := range []struct {
		tok  tokens.Type
		name string
		fn   func(a, b any) (any, error)
	}{
		{tokens.Addition, fnAdd, pyAdd},
		{tokens.Subtraction, fnSub, pySub},
		{tokens.Multiply, fnMul, pyMul},
		{tokens.Division, fnDiv, pyDiv},
		{tokens.FloorDivision, fnFloorDiv, pyFloorDiv},
		{tokens.Modulo, fnMod, pyMod},
		{tokens.Power, fnPow, pyPow},
		{tokens.LowerThan, fnLt, ordering("<")},
		{tokens.LowerThanOrEqual, fnLe, ordering("<=")},
		{tokens.GreaterThan, fnGt, ordering(">")},
		{tokens.GreaterThanOrEqual, fnGe, ordering(">=")},
		{tokens.Tilde, fnConcat, pyConcat},
	} {
		operatorHelpers[o.tok] = o.name
		operatorFuncs[o.name] = binaryOperator(o.fn)
	}
	operatorFuncs[fnIn] = inOperator
	operatorFuncs[fnNeg] = unaryOperator(pyNeg)
	operatorFuncs[fnPos] = unaryOperator(pyPos)
}

// binaryOperator is the helper gonja calls for an operator computed by fn.
func binaryOperator(fn func(a, b any) (any, error)) func(*exec.Evaluator, *exec.VarArgs) *exec.Value {
	return func(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
		if len(args.Args) != 2 {
			return exec.AsValue(errors.New("binary operator needs two operands"))
		}
		out, err := fn(toGo(args.Args[0]), toGo(args.Args[1]))
		if err != nil {
			return operatorFailure(ev, err)
		}
		return exec.AsValue(wrap(out))
	}
}

func unaryOperator(fn func(a any) (any, error)) func(*exec.Evaluator, *exec.VarArgs) *exec.Value {
	return func(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
		if len(args.Args) != 1 {
			return exec.AsValue(errors.New("unary operator needs one operand"))
		}
		out, err := fn(toGo(args.Args[0]))
		if err != nil {
			return operatorFailure(ev, err)
		}
		return exec.AsValue(out)
	}
}

// inOperator is `x in y`. A dict literal's keys are compared as written ({1: 'a'}
// has the int key 1), before toGo makes them text.
func inOperator(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
	if len(args.Args) != 2 {
		return exec.AsValue(errors.New("the in operator needs two operands"))
	}
	x := toGo(args.Args[0])
	var found bool
	var err error
	switch d := args.Args[1].Interface().(type) {
	case *exec.Dict:
		found, err = inDictLiteral(x, d)
	case exec.Dict:
		found, err = inDictLiteral(x, &d)
	default:
		found, err = pyContains(toGo(args.Args[1]), x)
	}
	if err != nil {
		return operatorFailure(ev, err)
	}
	return exec.AsValue(found)
}

// operatorFailure is err as the value of a failed operator; the run notes it too, to
// find it again should gonja flatten it into text.
func operatorFailure(ev *exec.Evaluator, err error) *exec.Value {
	err = &filterError{kind: "operator", err: err}
	stateOf(ev).record(err)
	return exec.AsValue(err)
}

// isObject tells whether a or b is a datetime value, whose operators datetime_ops.go has.
func isObject(a, b any) bool {
	_, aObj := a.(pyObject)
	_, bObj := b.(pyObject)
	return aObj || bObj
}

// errIntOverflow is an int result past 64 bits, which Python would hold.
var errIntOverflow = &plainError{"integer result too large: gossible's integers are 64-bit"}

func unsupported(op string, a, b any) error {
	return typeErrorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

// intOperand is v as a Python int: an int or a bool.
func intOperand(v any) (int, bool) {
	switch t := v.(type) {
	case int:
		return t, true
	case bool:
		if t {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// numOperands are a and b as Python numbers: both ints (ints true, in x and y), or
// one a float (both in fx and fy).
func numOperands(a, b any) (x, y int, fx, fy float64, ints, ok bool) {
	x, aInt := intOperand(a)
	y, bInt := intOperand(b)
	if aInt && bInt {
		return x, y, 0, 0, true, true
	}
	fx, aNum := number(a)
	fy, bNum := number(b)
	return 0, 0, fx, fy, false, aNum && bNum
}

func pyAdd(a, b any) (any, error) {
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok {
			return as + bs, nil
		}
	}
	if isObject(a, b) {
		return pyArithmetic("+", a, b)
	}
	if x, y, fx, fy, ints, ok := numOperands(a, b); ok {
		if ints {
			s := x + y
			if (x > 0 && y > 0 && s < 0) || (x < 0 && y < 0 && s >= 0) {
				return nil, errIntOverflow
			}
			return s, nil
		}
		return fx + fy, nil
	}
	switch x := a.(type) {
	case string:
		return nil, typeErrorf("can only concatenate str (not \"%s\") to str", typeName(b))
	case []any:
		y, ok := b.([]any)
		if !ok {
			return nil, typeErrorf("can only concatenate list (not \"%s\") to list", typeName(b))
		}
		out := make([]any, 0, len(x)+len(y))
		return append(append(out, x...), y...), nil
	}
	return nil, unsupported("+", a, b)
}

func pySub(a, b any) (any, error) {
	if isObject(a, b) {
		return pyArithmetic("-", a, b)
	}
	if x, y, fx, fy, ints, ok := numOperands(a, b); ok {
		if ints {
			d := x - y
			if (y < 0 && d < x) || (y > 0 && d > x) {
				return nil, errIntOverflow
			}
			return d, nil
		}
		return fx - fy, nil
	}
	return nil, unsupported("-", a, b)
}

// mulInt is x*y, false on int64 overflow.
func mulInt(x, y int) (int, bool) {
	if x == 0 || y == 0 {
		return 0, true
	}
	p := x * y
	if p/y != x || (x == -1 && y == math.MinInt) || (y == -1 && x == math.MinInt) {
		return 0, false
	}
	return p, true
}

// maxRepeat bounds the length of a repeated str or list: Python would fail with a
// MemoryError somewhere past it.
const maxRepeat = 1 << 28

func pyMul(a, b any) (any, error) {
	if isObject(a, b) {
		return pyArithmetic("*", a, b)
	}
	if x, y, fx, fy, ints, ok := numOperands(a, b); ok {
		if ints {
			p, ok := mulInt(x, y)
			if !ok {
				return nil, errIntOverflow
			}
			return p, nil
		}
		return fx * fy, nil
	}
	seq, n := a, b
	if !isSequence(a) {
		seq, n = b, a
	}
	if !isSequence(seq) {
		return nil, unsupported("*", a, b)
	}
	count, ok := intOperand(n)
	if !ok {
		return nil, typeErrorf("can't multiply sequence by non-int of type '%s'", typeName(n))
	}
	return repeat(seq, count)
}

func isSequence(v any) bool {
	switch v.(type) {
	case string, []any:
		return true
	}
	return false
}

// repeat is Python's seq * n: empty when n is not positive.
func repeat(seq any, n int) (any, error) {
	if n < 0 {
		n = 0
	}
	switch s := seq.(type) {
	case string:
		if len(s) > 0 && n > maxRepeat/len(s) {
			return nil, &plainError{"repeated string too long"}
		}
		return strings.Repeat(s, n), nil
	case []any:
		if len(s) > 0 && n > maxRepeat/len(s) {
			return nil, &plainError{"repeated list too long"}
		}
		out := make([]any, 0, len(s)*n)
		for range n {
			out = append(out, s...)
		}
		return out, nil
	}
	return nil, unsupported("*", seq, n)
}

// pyConcat is a ~ b: Jinja2 joins the str() of both.
func pyConcat(a, b any) (any, error) {
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok {
			return as + bs, nil
		}
	}
	return pyStr(a) + pyStr(b), nil
}

func pyNeg(a any) (any, error) {
	switch t := a.(type) {
	case int:
		if t == math.MinInt {
			return nil, errIntOverflow
		}
		return -t, nil
	case bool:
		n, _ := intOperand(t)
		return -n, nil
	case float64:
		return -t, nil
	case timedeltaValue:
		return negateTimedelta(t)
	}
	return nil, typeErrorf("bad operand type for unary -: '%s'", typeName(a))
}

func pyPos(a any) (any, error) {
	switch t := a.(type) {
	case int, float64, timedeltaValue:
		return t, nil
	case bool:
		n, _ := intOperand(t)
		return n, nil
	}
	return nil, typeErrorf("bad operand type for unary +: '%s'", typeName(a))
}

// ordering is the operator op of <, <=, > and >=.
func ordering(op string) func(a, b any) (any, error) {
	return func(a, b any) (any, error) { return pyOrder(op, a, b) }
}

// pyOrder is Python's a op b for an ordering op.
func pyOrder(op string, a, b any) (bool, error) {
	if as, ok := a.(string); ok {
		if bs, ok := b.(string); ok {
			// UTF-8's byte order is code point order, Python's order of str
			return holds(op, strings.Compare(as, bs)), nil
		}
	}
	if isObject(a, b) {
		c, err := pyObjectOrder(op, a, b)
		return err == nil && holds(op, c), err
	}
	if c, ordered, ok := compareNumbers(a, b); ok {
		return ordered && holds(op, c), nil
	}
	if x, ok := a.([]any); ok {
		if y, ok := b.([]any); ok {
			// the first elements that differ decide, else the lengths
			for i := 0; i < len(x) && i < len(y); i++ {
				if !pyEqual(x[i], y[i]) {
					return pyOrder(op, x[i], y[i])
				}
			}
			return holds(op, cmp.Compare(len(x), len(y))), nil
		}
	}
	return false, typeErrorf("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

// holds is whether comparison result c (negative, zero, positive) satisfies op.
func holds(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return c == 0
}

// compareNumbers compares two Python numbers exactly, as Python compares an int with a
// float; ordered is false when one is NaN; ok is false when either is no number.
func compareNumbers(a, b any) (c int, ordered, ok bool) {
	x, y, fx, fy, ints, ok := numOperands(a, b)
	switch {
	case !ok:
		return 0, false, false
	case ints:
		return cmp.Compare(x, y), true, true
	case math.IsNaN(fx) || math.IsNaN(fy):
		return 0, false, true
	}
	if i, isInt := intOperand(a); isInt {
		return compareIntFloat(i, fy), true, true
	}
	if i, isInt := intOperand(b); isInt {
		return -compareIntFloat(i, fx), true, true
	}
	switch {
	case fx < fy:
		return -1, true, true
	case fx > fy:
		return 1, true, true
	}
	return 0, true, true
}

// compareIntFloat compares i with f (not NaN) exactly: float64(i) may round.
func compareIntFloat(i int, f float64) int {
	const two63 = 9223372036854775808.0
	switch {
	case f >= two63:
		return -1
	case f < -two63:
		return 1
	}
	t := math.Trunc(f)
	if c := cmp.Compare(i, int(t)); c != 0 {
		return c
	}
	switch frac := f - t; {
	case frac > 0:
		return -1
	case frac < 0:
		return 1
	}
	return 0
}

// pyEqual is Python's a == b on plain data: numbers by value (True == 1 == 1.0), lists
// and dicts element by element.
func pyEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !pyEqual(v, w) {
				return false
			}
		}
		return true
	case *Scope:
		return a == b
	}
	if eq, ok := pyObjectEqual(a, b); ok {
		return eq
	}
	c, ordered, ok := compareNumbers(a, b)
	return ok && ordered && c == 0
}

// pyContains is Python's x in container.
func pyContains(container, x any) (bool, error) {
	switch t := container.(type) {
	case string:
		s, ok := x.(string)
		if !ok {
			return false, typeErrorf("'in <string>' requires string as left operand, not %s", typeName(x))
		}
		return strings.Contains(t, s), nil
	case []any:
		for _, e := range t {
			if pyEqual(e, x) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		if err := hashable(x); err != nil {
			return false, err
		}
		k, ok := x.(string)
		if !ok {
			return false, nil // the keys here are text
		}
		_, found := t[k]
		return found, nil
	case *Scope: // hostvars[host]
		if err := hashable(x); err != nil {
			return false, err
		}
		k, ok := x.(string)
		return ok && t.Has(k), nil
	}
	return false, typeErrorf("argument of type '%s' is not iterable", typeName(container))
}

// inDictLiteral is x in a {...} literal, whose keys keep their types.
func inDictLiteral(x any, d *exec.Dict) (bool, error) {
	if err := hashable(x); err != nil {
		return false, err
	}
	for _, p := range d.Pairs {
		if pyEqual(toGo(p.Key), x) {
			return true, nil
		}
	}
	return false, nil
}

// hashable fails as Python does for a dict key that is a list or a dict.
func hashable(x any) error {
	switch x.(type) {
	case []any, map[string]any:
		return typeErrorf("unhashable type: '%s'", typeName(x))
	}
	return nil
}
