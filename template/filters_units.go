package template

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

func init() {
	registerFilter(filterLog, "log")
	registerFilter(filterPow, "pow")
	registerFilter(filterRoot, "root")
	registerFilter(filterHumanReadable, "human_readable")
	registerFilter(filterHumanToBytes, "human_to_bytes")
}

// realNumber is a number as Python's math functions take it.
func realNumber(v any, fn string) (float64, error) {
	f, ok := number(v)
	if !ok {
		return 0, typeErrorf("%s() can only be used on numbers: must be real number, not %s", fn, typeName(v))
	}
	return f, nil
}

// mathResult is a float result as Python's math module gives it, or its ValueError.
func mathResult(f float64) (any, error) {
	if math.IsNaN(f) {
		return nil, &plainError{"math domain error"}
	}
	if math.IsInf(f, 0) {
		return nil, &plainError{"math range error"}
	}
	return f, nil
}

// log(base=e); base 10 is log10.
func filterLog(c *call) (any, error) {
	if err := c.sig("logarithm", nil, "base"); err != nil {
		return nil, err
	}
	x, err := realNumber(c.in, "log")
	if err != nil {
		return nil, err
	}
	base, err := realNumber(c.arg(0, "base", math.E), "log")
	if err != nil {
		return nil, err
	}
	if x <= 0 || base <= 0 {
		return nil, &plainError{"math domain error"}
	}
	if base == 10 {
		return math.Log10(x), nil
	}
	if base == 1 {
		return nil, &plainError{"float division by zero"}
	}
	return math.Log(x) / math.Log(base), nil
}

func filterPow(c *call) (any, error) {
	if err := c.sig("power", []string{"y"}); err != nil {
		return nil, err
	}
	x, err := realNumber(c.in, "pow")
	if err != nil {
		return nil, err
	}
	y, err := realNumber(c.arg(0, "y", nil), "pow")
	if err != nil {
		return nil, err
	}
	if x == 0 && y < 0 {
		return nil, &plainError{"math domain error"}
	}
	return mathResult(math.Pow(x, y))
}

// root(base=2): the square root, or the base-th root.
func filterRoot(c *call) (any, error) {
	if err := c.sig("inversepower", nil, "base"); err != nil {
		return nil, err
	}
	x, err := realNumber(c.in, "root")
	if err != nil {
		return nil, err
	}
	base, err := realNumber(c.arg(0, "base", 2), "root")
	if err != nil {
		return nil, err
	}
	var r float64
	if base == 2 {
		r = math.Sqrt(x)
	} else {
		if base == 0 {
			return nil, &plainError{"float division by zero"}
		}
		r = exactRoot(math.Pow(x, 1/base), x, base)
	}
	if math.IsNaN(r) {
		return nil, typeErrorf("root() can only be used on numbers: math domain error")
	}
	return r, nil
}

// sizeUnits are Ansible's SIZE_RANGES, largest first.
var sizeUnits = []struct {
	suffix string
	limit  float64
}{{"Y", 1 << 80}, {"Z", 1 << 70}, {"E", 1 << 60}, {"P", 1 << 50}, {"T", 1 << 40},
	{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}

// human_readable(isbits=False, unit=None): "1.50 KB".
func filterHumanReadable(c *call) (any, error) {
	if err := c.sig("human_readable", nil, "isbits", "unit"); err != nil {
		return nil, err
	}
	size, ok := number(c.in)
	if !ok {
		return nil, typeErrorf("human_readable() failed on bad input: '>=' not supported between instances of '%s' and 'int'", typeName(c.in))
	}
	base := "Bytes"
	if c.boolArg(0, "isbits", false) {
		base = "bits"
	}
	unit, _ := c.arg(1, "unit", nil).(string)
	var suffix string
	var limit float64
	for _, u := range sizeUnits {
		suffix, limit = u.suffix, u.limit
		if unit == "" && size >= limit || unit != "" && strings.ToUpper(unit)[:1] == suffix {
			break
		}
	}
	if limit != 1 {
		suffix += base[:1]
	} else {
		suffix = base
	}
	return fmt.Sprintf("%.2f %s", size/limit, suffix), nil
}

var reHumanSize = regexp.MustCompile(`^\s*(\d*\.?\d*)\s*([A-Za-z]+)?`)

// human_to_bytes(default_unit=None, isbits=False): "1.5K" → 1536.
func filterHumanToBytes(c *call) (any, error) {
	if err := c.sig("human_to_bytes", nil, "default_unit", "isbits"); err != nil {
		return nil, err
	}
	s := pyStr(c.in)
	bad := &plainError{"human_to_bytes() can't interpret following string: " + s}
	m := reHumanSize.FindStringSubmatch(s)
	num, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil, bad
	}
	unit := m[2]
	if unit == "" {
		unit, _ = c.arg(0, "default_unit", nil).(string)
	}
	if unit == "" {
		return int(math.RoundToEven(num)), nil
	}
	key := strings.ToUpper(unit[:1])
	limit := 0.0
	for _, u := range sizeUnits {
		if u.suffix == key {
			limit = u.limit
		}
	}
	if limit == 0 {
		return nil, bad
	}
	class, className := "B", "byte"
	if c.boolArg(1, "isbits", false) {
		class, className = "b", "bit"
	}
	if len(unit) > 1 && !strings.Contains(strings.ToLower(unit), className) && unit[1:2] != class {
		return nil, bad
	}
	return int(math.RoundToEven(num * limit)), nil
}

// exactRoot prefers a neighbour of r that is the exact root: Go's Pow can be an ulp away
// from C's where the root is a whole number (27 ** (1/3) is 3.0 in Python).
func exactRoot(r, x, base float64) float64 {
	for _, c := range []float64{math.Nextafter(r, math.Inf(1)), math.Nextafter(r, math.Inf(-1))} {
		if math.Pow(c, base) == x && math.Pow(r, base) != x {
			return c
		}
	}
	return r
}
