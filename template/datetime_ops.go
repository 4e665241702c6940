package template

import "math"

// Operators on the datetime values (datetime.go). gonja knows nothing of these types:
// it would subtract two datetimes as the integer 0. The operator helpers (pyops.go,
// pymath.go) hand an operation with a datetime operand here: datetime_arith.go's
// arithmetic for + - * / // % **, pyObjectOrder for the orderings, the timedelta's
// negation for unary minus. == and != are the equality hooks' (see pyObjectEqual). An
// operation Python does not support is its TypeError, in Python's words.

// negateTimedelta is -td.
func negateTimedelta(td timedeltaValue) (any, error) {
	if td.us == math.MinInt64 {
		return nil, &plainError{"Python int too large to convert to C int"}
	}
	return timedeltaValue{us: -td.us}, nil
}
