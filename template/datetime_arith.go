package template

import (
	"fmt"
	"math"
	"math/big"
)

// Python's datetime arithmetic: datetime - datetime is a timedelta, a datetime or a date
// moves by a timedelta, timedeltas add, scale and divide. Microsecond counts are
// computed exactly (math/big) and rounded as Python rounds them; a result out of
// Python's range is its OverflowError, a division by zero its ZeroDivisionError.

// pyArithmetic is Python's datetime arithmetic.
func pyArithmetic(op string, a, b any) (any, error) {
	switch x := a.(type) {
	case datetimeValue:
		switch y := b.(type) {
		case timedeltaValue:
			switch op {
			case "+":
				return x.plus(y.us)
			case "-":
				if y.us == math.MinInt64 {
					return nil, errDateRange
				}
				return x.plus(-y.us)
			}
		case datetimeValue:
			if op == "-" {
				if x.aware != y.aware {
					return nil, typeErrorf("can't subtract offset-naive and offset-aware datetimes")
				}
				return bigTimedelta(new(big.Int).Sub(big.NewInt(x.epochMicros()), big.NewInt(y.epochMicros())))
			}
		}
	case dateValue:
		switch y := b.(type) {
		case timedeltaValue:
			days, _, _ := y.parts()
			switch op {
			case "+":
				return x.plusDays(days)
			case "-":
				return x.plusDays(-days)
			}
		case dateValue:
			if op == "-" {
				return timedeltaValue{us: (x.t.Unix() - y.t.Unix()) / 86400 * usPerDay}, nil
			}
		}
	case timedeltaValue:
		switch b.(type) {
		case datetimeValue, dateValue:
			if op == "+" {
				return pyArithmetic(op, b, a) // timedelta + datetime is datetime + timedelta
			}
		}
		return timedeltaArithmetic(op, x, b)
	case string, []any:
		switch op {
		case "+":
			return nil, typeErrorf("can only concatenate %s (not \"%s\") to %[1]s", typeName(a), typeName(b))
		case "*":
			return nil, typeErrorf("can't multiply sequence by non-int of type '%s'", typeName(b))
		}
	}
	if y, ok := b.(timedeltaValue); ok && op == "*" {
		switch a.(type) {
		case bool, int, float64:
			return timedeltaArithmetic(op, y, a) // n * timedelta is timedelta * n
		}
	}
	return nil, typeErrorf("unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

// timedeltaArithmetic is td op b: the sum or difference of timedeltas, its scaling by
// an int or float, its division by an int, a float or a timedelta, its modulo.
func timedeltaArithmetic(op string, td timedeltaValue, b any) (any, error) {
	u := big.NewInt(td.us)
	unsupported := func() error {
		return typeErrorf("unsupported operand type(s) for %s: '%s' and '%s'", op, td.pyType(), typeName(b))
	}
	switch y := b.(type) {
	case timedeltaValue:
		v := big.NewInt(y.us)
		switch op {
		case "+":
			return bigTimedelta(u.Add(u, v))
		case "-":
			return bigTimedelta(u.Sub(u, v))
		case "/":
			if y.us == 0 {
				return nil, &plainError{"division by zero"}
			}
			f, _ := new(big.Rat).SetFrac(u, v).Float64()
			return f, nil
		case "//":
			if y.us == 0 {
				return nil, errIntDivZero
			}
			q, _ := floorDivModBig(u, v)
			if !q.IsInt64() {
				return nil, &plainError{"Python int too large to convert to C int"}
			}
			return int(q.Int64()), nil
		case "%":
			if y.us == 0 {
				return nil, &plainError{"integer modulo by zero"}
			}
			_, r := floorDivModBig(u, v)
			return bigTimedelta(r)
		}
		return nil, unsupported()
	case bool, int:
		n := big.NewInt(int64(toInt(y)))
		switch op {
		case "*":
			return bigTimedelta(u.Mul(u, n))
		case "/":
			if n.Sign() == 0 {
				return nil, errIntDivZero
			}
			return bigTimedelta(divideAndRound(u, n))
		case "//":
			if n.Sign() == 0 {
				return nil, errIntDivZero
			}
			q, _ := floorDivModBig(u, n)
			return bigTimedelta(q)
		}
	case float64:
		if op != "*" && op != "/" {
			return nil, unsupported()
		}
		switch {
		case math.IsNaN(y):
			return nil, &plainError{"cannot convert NaN to integer ratio"}
		case math.IsInf(y, 0):
			return nil, &plainError{"cannot convert Infinity to integer ratio"}
		}
		ratio := new(big.Rat).SetFloat64(y) // exact, as float.as_integer_ratio()
		num, den := new(big.Int).Set(ratio.Num()), new(big.Int).Set(ratio.Denom())
		if op == "/" {
			num, den = den, num
			if den.Sign() == 0 {
				return nil, errIntDivZero
			}
		}
		return bigTimedelta(divideAndRound(u.Mul(u, num), den))
	}
	return nil, unsupported()
}

// errIntDivZero is Python's ZeroDivisionError of an integer division.
var errIntDivZero = &plainError{"integer division or modulo by zero"}

// toInt is an int operand; True and False count as 1 and 0, as in Python.
func toInt(v any) int {
	if b, ok := v.(bool); ok {
		if b {
			return 1
		}
		return 0
	}
	return v.(int)
}

// bigTimedelta is the timedelta of us microseconds, or Python's OverflowError past
// its range, or an error past what timedeltaValue holds.
func bigTimedelta(us *big.Int) (any, error) {
	days, _ := floorDivModBig(us, big.NewInt(usPerDay))
	switch {
	case !days.IsInt64() || days.Int64() > math.MaxInt32 || days.Int64() < math.MinInt32:
		return nil, &plainError{"Python int too large to convert to C int"}
	case days.Int64() > 999_999_999 || days.Int64() < -999_999_999:
		return nil, &plainError{fmt.Sprintf("days=%d; must have magnitude <= 999999999", days.Int64())}
	case !us.IsInt64():
		return nil, &plainError{fmt.Sprintf("timedelta of %d days is beyond the 106751991 days gossible holds", days.Int64())}
	}
	return timedeltaValue{us: us.Int64()}, nil
}

// floorDivModBig is Python's divmod of big integers: the remainder has the divisor's sign.
func floorDivModBig(a, b *big.Int) (q, r *big.Int) {
	q, r = new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 && r.Sign() != b.Sign() {
		q.Sub(q, big.NewInt(1))
		r.Add(r, b)
	}
	return q, r
}

// divideAndRound is a / b rounded half to even, as timedelta's division rounds.
func divideAndRound(a, b *big.Int) *big.Int {
	if b.Sign() < 0 {
		a, b = new(big.Int).Neg(a), new(big.Int).Neg(b)
	}
	q, r := floorDivModBig(a, b)
	twice := new(big.Int).Lsh(r, 1)
	if c := twice.Cmp(b); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	return q
}
