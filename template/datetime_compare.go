package template

import "cmp"

// Comparisons of the datetime values, for the operators, the equality hooks (==, the
// eq test, unique...) and the sorting filters.

// pyObjectOrder compares a and b, one of them a datetime value, for operator op:
// negative, zero or positive; Python's TypeError when they have no order.
func pyObjectOrder(op string, a, b any) (int, error) {
	switch x := a.(type) {
	case datetimeValue:
		switch y := b.(type) {
		case datetimeValue:
			if x.aware != y.aware {
				return 0, typeErrorf("can't compare offset-naive and offset-aware datetimes")
			}
			return cmp.Compare(x.epochMicros(), y.epochMicros()), nil
		case dateValue:
			return 0, typeErrorf("can't compare datetime.datetime to datetime.date")
		}
	case dateValue:
		switch y := b.(type) {
		case dateValue:
			return x.t.Compare(y.t), nil
		case datetimeValue:
			return 0, typeErrorf("can't compare datetime.datetime to datetime.date")
		}
	case timeValue:
		if y, ok := b.(timeValue); ok {
			return cmp.Compare(x.micros(), y.micros()), nil
		}
	case timedeltaValue:
		if y, ok := b.(timedeltaValue); ok {
			return cmp.Compare(x.us, y.us), nil
		}
	}
	return 0, typeErrorf("'%s' not supported between instances of '%s' and '%s'", op, typeName(a), typeName(b))
}

// pyObjectEqual is Python's a == b when a or b is a datetime value (handled): values
// of different types are unequal, and so are a naive and an aware datetime.
func pyObjectEqual(a, b any) (eq, handled bool) {
	_, aObj := a.(pyObject)
	_, bObj := b.(pyObject)
	if !aObj && !bObj {
		return false, false
	}
	if x, ok := a.(datetimeValue); ok {
		y, ok := b.(datetimeValue)
		return ok && x.aware == y.aware && x.epochMicros() == y.epochMicros(), true
	}
	if !aObj || !bObj {
		return false, true
	}
	c, err := pyObjectOrder("==", a, b)
	return err == nil && c == 0, true
}

// pyObjectCompare is pyObjectOrder for the sorting filters and comparison tests.
func pyObjectCompare(a, b any) (c int, handled bool, err error) {
	_, aObj := a.(pyObject)
	_, bObj := b.(pyObject)
	if !aObj && !bObj {
		return 0, false, nil
	}
	c, err = pyObjectOrder("<", a, b)
	return c, true, err
}
