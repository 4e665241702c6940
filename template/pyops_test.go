package template

import (
	"errors"
	"testing"
)

// The corpus (testdata/corpus.yaml, "op ..." cases) checks the operators against
// ansible-core; these check what it cannot express: int overflow and exact int/float
// comparison.
func TestPyOperators(t *testing.T) {
	const maxInt = int(^uint(0) >> 1)
	tests := []struct {
		name string
		fn   func(a, b any) (any, error)
		a, b any
		want any
		err  string
	}{
		{name: "add overflow", fn: pyAdd, a: maxInt, b: 1, err: errIntOverflow.msg},
		{name: "sub overflow", fn: pySub, a: -maxInt, b: 2, err: errIntOverflow.msg},
		{name: "mul overflow", fn: pyMul, a: maxInt, b: 2, err: errIntOverflow.msg},
		{name: "pow overflow", fn: pyPow, a: 2, b: 64, err: errIntOverflow.msg},
		{name: "bool times list", fn: pyMul, a: true, b: []any{1}, want: []any{1}},
		{name: "huge repeat", fn: pyMul, a: "ab", b: 1 << 40, err: "repeated string too long"},
		{name: "int below float near 2**53", fn: ordering("<"), a: 1<<53 + 1, b: float64(1 << 53), want: false},
		{name: "int above float near 2**53", fn: ordering(">"), a: 1<<53 + 1, b: float64(1 << 53), want: true},
		{name: "float compared with int", fn: ordering("<"), a: float64(1 << 53), b: 1<<53 + 1, want: true},
		{name: "large float above every int", fn: ordering("<"), a: maxInt, b: 1e19, want: true},
		{name: "floor division of min int", fn: pyFloorDiv, a: -maxInt - 1, b: -1, err: errIntOverflow.msg},
		{name: "modulo by minus one", fn: pyMod, a: -maxInt - 1, b: -1, want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.fn(tc.a, tc.b)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("got %#v, %v; want error %q", got, err, tc.err)
				}
				return
			}
			if err != nil || !pyEqual(got, tc.want) || typeName(got) != typeName(tc.want) {
				t.Fatalf("got %#v, %v; want %#v", got, err, tc.want)
			}
		})
	}
}

func TestPyEqualNaN(t *testing.T) {
	nan := 0.0
	nan /= nan
	if pyEqual(nan, nan) {
		t.Error("NaN == NaN")
	}
	if lt, _ := pyOrder("<", 1, nan); lt {
		t.Error("1 < NaN")
	}
}

func TestOperatorErrorIsTypeFrame(t *testing.T) {
	_, err := New().Render("{{ x + 'a' }}", NewScope(map[string]any{"x": 1}))
	var tf *typeFrameError
	if !errors.As(err, &tf) || tf.msg != "unsupported operand type(s) for +: 'int' and 'str'" {
		t.Fatalf("got %T %v", err, err)
	}
}

func BenchmarkOperators(b *testing.B) {
	s := NewScope(map[string]any{"n": 5, "f": 1.5, "name": "consul", "l": []any{1, 2, 3}})
	e := New()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Render("{{ n + 1 }}{{ n * f }}{{ name ~ '.hcl' }}{{ n < 10 }}{{ 2 in l }}{{ -n }}", s); err != nil {
			b.Fatal(err)
		}
	}
}
