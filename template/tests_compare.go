package template

// Jinja2's comparison tests are Python's operator functions; gonja's index a missing
// argument and panic, and compare only numbers.

func init() {
	registerTest(compareTest("eq", "=="), "eq", "equalto", "==")
	registerTest(compareTest("ne", "!="), "ne", "!=")
	registerTest(compareTest("gt", ">"), "gt", "greaterthan", ">")
	registerTest(compareTest("ge", ">="), "ge", ">=")
	registerTest(compareTest("lt", "<"), "lt", "lessthan", "<")
	registerTest(compareTest("le", "<="), "le", "<=")
	registerTest(testSameAs, "sameas")
}

func compareTest(op, symbol string) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		if len(c.kwargs) > 0 {
			return false, typeErrorf("_operator.%s() takes no keyword arguments", op)
		}
		if len(c.args) != 1 {
			return false, typeErrorf("%s expected 2 arguments, got %d", op, len(c.args)+1)
		}
		other := c.args[0]
		switch op {
		case "eq":
			return valueEqual(c.in, other), nil
		case "ne":
			return !valueEqual(c.in, other), nil
		}
		cmp, err := pyCompare(c.in, other)
		if err != nil {
			return false, typeErrorf("'%s' not supported between instances of '%s' and '%s'", symbol, typeName(c.in), typeName(other))
		}
		switch op {
		case "gt":
			return cmp > 0, nil
		case "ge":
			return cmp >= 0, nil
		case "lt":
			return cmp < 0, nil
		}
		return cmp <= 0, nil
	}
}

// sameas is Python's `is`: only None, the booleans and small ints are known to be the
// same object when equal.
func testSameAs(c *call) (bool, error) {
	if err := c.sig("test_sameas", []string{"other"}); err != nil {
		return false, err
	}
	other := c.arg(0, "other", nil)
	switch a := c.in.(type) {
	case nil:
		return other == nil, nil
	case bool:
		b, ok := other.(bool)
		return ok && a == b, nil
	case int:
		b, ok := other.(int)
		return ok && a == b && a >= -5 && a <= 256, nil
	}
	return false, nil
}
