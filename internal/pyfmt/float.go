package pyfmt

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Float is a float as Python's json module writes it: repr digits, with
// Infinity, -Infinity and NaN for the non-finite values.
func Float(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return finite(f)
}

// FloatRepr is Python's repr() of a float: inf, -inf and nan for the
// non-finite values.
func FloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return finite(f)
}

// finite is repr of a finite float: shortest round-trip digits, exponent
// form (two digits at least) below 1e-4 and from 1e16, else a decimal point.
func finite(f float64) string {
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expS, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expS)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
