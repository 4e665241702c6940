package template

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python-semantics operators (see ast.go), installed as hidden globals.
var operatorFuncs = map[string]any{
	fnPow:      binaryHelper(pyPow),
	fnFloorDiv: binaryHelper(pyFloorDiv),
	fnMod:      binaryHelper(pyMod),
	fnDiv:      binaryHelper(pyDiv),
}

func pyDiv(a, b any) (any, error) {
	af, bf, _, err := operands(a, b, "/")
	if err != nil {
		return nil, err
	}
	if bf == 0 {
		return nil, errors.New("division by zero")
	}
	return af / bf, nil
}

func binaryHelper(fn func(a, b any) (any, error)) func(*exec.Evaluator, *exec.VarArgs) (any, error) {
	return func(ev *exec.Evaluator, args *exec.VarArgs) (any, error) {
		if len(args.Args) != 2 {
			return nil, errors.New("binary operator needs two operands")
		}
		for _, a := range args.Args {
			if a.IsError() {
				return nil, a
			}
		}
		out, err := fn(toGo(args.Args[0]), toGo(args.Args[1]))
		if err != nil {
			stateOf(ev).record(err) // gonja flattens it into "invalid call to function"
			return nil, err
		}
		return wrap(out), nil
	}
}

func operands(a, b any, op string) (float64, float64, bool, error) {
	af, aok := number(a)
	bf, bok := number(b)
	if !aok || !bok {
		return 0, 0, false, fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
	}
	_, aInt := a.(int)
	_, bInt := b.(int)
	_, aBool := a.(bool)
	_, bBool := b.(bool)
	return af, bf, (aInt || aBool) && (bInt || bBool), nil
}

func pyPow(a, b any) (any, error) {
	af, bf, ints, err := operands(a, b, "** or pow()")
	if err != nil {
		return nil, err
	}
	if ints && bf >= 0 {
		if r, ok := intPow(int64(af), int64(bf)); ok {
			return int(r), nil
		}
		return nil, errors.New("integer result too large")
	}
	return math.Pow(af, bf), nil
}

func pyFloorDiv(a, b any) (any, error) {
	af, bf, ints, err := operands(a, b, "//")
	if err != nil {
		return nil, err
	}
	if bf == 0 {
		return nil, errors.New("integer division or modulo by zero")
	}
	if ints {
		return int(math.Floor(af / bf)), nil
	}
	return math.Floor(af / bf), nil
}

func pyMod(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		return pyFormat(s, b)
	}
	af, bf, ints, err := operands(a, b, "%")
	if err != nil {
		return nil, err
	}
	if bf == 0 {
		return nil, errors.New("integer division or modulo by zero")
	}
	r := math.Mod(af, bf)
	if r != 0 && (r < 0) != (bf < 0) {
		r += bf // Python's result takes the divisor's sign
	}
	if ints {
		return int(r), nil
	}
	return r, nil
}

// pyFormat is Python's printf-style `format % values` for the common conversions.
func pyFormat(format string, values any) (string, error) {
	args, ok := values.([]any)
	if !ok {
		args = []any{values}
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			return "", errors.New("incomplete format")
		}
		flags, verb := format[i+1:j], format[j]
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if next >= len(args) {
			return "", errors.New("not enough arguments for format string")
		}
		arg := args[next]
		next++
		switch verb {
		case 's':
			fmt.Fprintf(&b, "%"+flags+"s", pyStr(arg))
		case 'r':
			fmt.Fprintf(&b, "%"+flags+"s", pyRepr(arg))
		case 'd', 'i':
			f, ok := number(arg)
			if !ok {
				return "", fmt.Errorf("%%%c format: a number is required, not %s", verb, typeName(arg))
			}
			fmt.Fprintf(&b, "%"+flags+"d", int(f))
		case 'f', 'F', 'e', 'E', 'g', 'G':
			f, ok := number(arg)
			if !ok {
				return "", fmt.Errorf("must be real number, not %s", typeName(arg))
			}
			if !strings.Contains(flags, ".") && verb != 'g' && verb != 'G' {
				flags += ".6"
			}
			fmt.Fprintf(&b, "%"+flags+string(verb), f)
		case 'x', 'X', 'o':
			f, ok := number(arg)
			if !ok {
				return "", fmt.Errorf("%%%c format: an integer is required, not %s", verb, typeName(arg))
			}
			fmt.Fprintf(&b, "%"+flags+string(verb), int(f))
		default:
			return "", fmt.Errorf("unsupported format character '%c'", verb)
		}
	}
	if next < len(args) {
		return "", errors.New("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// intPow is base**exp by squaring; ok is false on int64 overflow.
func intPow(base, exp int64) (int64, bool) {
	result := int64(1)
	for exp > 0 {
		if exp&1 == 1 {
			r := result * base
			if base != 0 && r/base != result {
				return 0, false
			}
			result = r
		}
		exp >>= 1
		if exp > 0 {
			b := base * base
			if base != 0 && b/base != base {
				return 0, false
			}
			base = b
		}
	}
	return result, true
}
