package template

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's /, //, % and ** (see pyops.go), installed as hidden globals by pyops.go.

// errFloatRange is Python's OverflowError of a float result out of range.
var errFloatRange = &plainError{"(34, 'Numerical result out of range')"}

func pyDiv(a, b any) (any, error) {
	if isObject(a, b) {
		return pyArithmetic("/", a, b)
	}
	x, y, fx, fy, ints, ok := numOperands(a, b)
	switch {
	case !ok:
		return nil, unsupported("/", a, b)
	case ints && y == 0:
		return nil, &plainError{"division by zero"}
	case ints:
		if (x > 1<<53 || x < -(1<<53)) || (y > 1<<53 || y < -(1<<53)) {
			f, _ := new(big.Rat).SetFrac(big.NewInt(int64(x)), big.NewInt(int64(y))).Float64()
			return f, nil // correctly rounded, as Python's int / int
		}
		return float64(x) / float64(y), nil
	case fy == 0:
		return nil, &plainError{"float division by zero"}
	}
	return fx / fy, nil
}

func pyFloorDiv(a, b any) (any, error) {
	if isObject(a, b) {
		return pyArithmetic("//", a, b)
	}
	x, y, fx, fy, ints, ok := numOperands(a, b)
	switch {
	case !ok:
		return nil, unsupported("//", a, b)
	case ints && y == 0:
		return nil, errIntDivZero
	case ints:
		if x == math.MinInt && y == -1 {
			return nil, errIntOverflow
		}
		q, _ := intDivMod(x, y)
		return q, nil
	case fy == 0:
		return nil, &plainError{"float floor division by zero"}
	}
	return math.Floor(fx / fy), nil
}

func pyMod(a, b any) (any, error) {
	if s, ok := a.(string); ok {
		return pyFormat(s, b)
	}
	if isObject(a, b) {
		return pyArithmetic("%", a, b)
	}
	x, y, fx, fy, ints, ok := numOperands(a, b)
	switch {
	case !ok:
		return nil, unsupported("%", a, b)
	case ints && y == 0:
		return nil, &plainError{"integer modulo by zero"}
	case ints:
		if y == -1 {
			return 0, nil
		}
		_, r := intDivMod(x, y)
		return r, nil
	case fy == 0:
		return nil, &plainError{"float modulo"}
	}
	r := math.Mod(fx, fy)
	if r != 0 && (r < 0) != (fy < 0) {
		r += fy // Python's result takes the divisor's sign
	} else if r == 0 {
		r = math.Copysign(0, fy)
	}
	return r, nil
}

func pyPow(a, b any) (any, error) {
	if isObject(a, b) {
		return pyArithmetic("** or pow()", a, b)
	}
	x, y, fx, fy, ints, ok := numOperands(a, b)
	switch {
	case !ok:
		return nil, unsupported("** or pow()", a, b)
	case ints && y >= 0:
		r, ok := intPow(int64(x), int64(y))
		if !ok {
			return nil, errIntOverflow
		}
		return int(r), nil
	case ints:
		fx, fy = float64(x), float64(y)
	}
	if fx == 0 && fy < 0 {
		return nil, &plainError{"0.0 cannot be raised to a negative power"}
	}
	r := math.Pow(fx, fy)
	if math.IsInf(r, 0) && !math.IsInf(fx, 0) && !math.IsInf(fy, 0) {
		return nil, errFloatRange
	}
	return r, nil
}

// binaryHelper is a hidden global computing fn on the plain data of two operands.
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

// intDivMod is Python's divmod of ints (y not zero, not MinInt // -1): the remainder
// takes the divisor's sign.
func intDivMod(x, y int) (q, r int) {
	q, r = x/y, x%y
	if r != 0 && (r < 0) != (y < 0) {
		q, r = q-1, r+y
	}
	return q, r
}

// pyFormat is Python's printf-style `format % values` for the common conversions.
// A mapping's values are named as %(key)s.
func pyFormat(format string, values any) (string, error) {
	mapping, _ := values.(map[string]any)
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
		var keyed any
		hasKey := false
		if j < len(format) && format[j] == '(' {
			end := strings.IndexByte(format[j:], ')')
			if end < 0 {
				return "", &plainError{"incomplete format key"}
			}
			if mapping == nil {
				return "", typeErrorf("format requires a mapping")
			}
			key := format[j+1 : j+end]
			v, ok := mapping[key]
			if !ok {
				return "", pyException("KeyError", pyRepr(key))
			}
			keyed, hasKey, j = v, true, j+end+1
		}
		flagStart := j
		for j < len(format) && strings.IndexByte("-+ #0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			return "", &plainError{"incomplete format"}
		}
		flags, verb := format[flagStart:j], format[j]
		i = j
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		var arg any
		switch {
		case hasKey:
			arg = keyed
		case next >= len(args):
			return "", typeErrorf("not enough arguments for format string")
		default:
			arg = args[next]
			next++
		}
		switch verb {
		case 's':
			fmt.Fprintf(&b, "%"+textFlags(flags)+"s", pyStr(arg))
		case 'r':
			fmt.Fprintf(&b, "%"+textFlags(flags)+"s", pyRepr(arg))
		case 'd', 'i':
			f, ok := number(arg)
			if !ok {
				return "", typeErrorf("%%%c format: a real number is required, not %s", verb, typeName(arg))
			}
			fmt.Fprintf(&b, "%"+flags+"d", int(f))
		case 'f', 'F', 'e', 'E', 'g', 'G':
			f, ok := number(arg)
			if !ok {
				return "", typeErrorf("must be real number, not %s", typeName(arg))
			}
			if !strings.Contains(flags, ".") && verb != 'g' && verb != 'G' {
				flags += ".6"
			}
			fmt.Fprintf(&b, "%"+flags+string(verb), f)
		case 'x', 'X', 'o':
			n, ok := intOperand(arg)
			if !ok {
				return "", typeErrorf("%%%c format: an integer is required, not %s", verb, typeName(arg))
			}
			fmt.Fprintf(&b, "%"+flags+string(verb), n)
		default:
			return "", &plainError{fmt.Sprintf("unsupported format character '%c' (0x%x) at index %d", verb, verb, j)}
		}
	}
	if next < len(args) && mapping == nil {
		return "", typeErrorf("not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// textFlags keeps of a conversion's flags what Python applies to %s: left alignment, the
// width and the precision (Go would pad with zeros for a 0 flag).
func textFlags(flags string) string {
	left := strings.ContainsRune(strings.SplitN(flags, ".", 2)[0], '-')
	rest := strings.TrimLeft(flags, "-+ #0")
	if left {
		return "-" + rest
	}
	return rest
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
