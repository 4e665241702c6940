package template

import (
	"errors"
	"math"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Operators on the datetime values (datetime.go). gonja evaluates +, -, *, the
// orderings and unary minus itself and knows nothing of these types: it would subtract
// two datetimes as the integer 0. So the parsed tree routes those operators through
// hidden helpers too (see ast.go); a helper does Python's operation when an operand is
// a datetime value and hands every other operand back to gonja, or to the
// Python-semantics helper already in place for /, //, % and **. == and != are the
// equality hooks' (see pyObjectEqual). An operation Python does not support is its
// TypeError, in Python's words.

func init() {
	for _, o := range []struct {
		tok       tokens.Type
		name, sym string
	}{
		{tokens.Addition, "\x00add", "+"},
		{tokens.Subtraction, "\x00sub", "-"},
		{tokens.Multiply, "\x00mul", "*"},
		{tokens.LowerThan, "\x00lt", "<"},
		{tokens.LowerThanOrEqual, "\x00le", "<="},
		{tokens.GreaterThan, "\x00gt", ">"},
		{tokens.GreaterThanOrEqual, "\x00ge", ">="},
	} {
		operatorHelpers[o.tok] = o.name
		operatorFuncs[o.name] = objectOperator(o.sym, gonjaOperator(o.tok, o.sym))
	}
	operatorFuncs[fnNeg] = negateOperator
	for name, sym := range map[string]string{fnDiv: "/", fnFloorDiv: "//", fnMod: "%", fnPow: "** or pow()"} {
		next := operatorFuncs[name].(func(*exec.Evaluator, *exec.VarArgs) (any, error))
		operatorFuncs[name] = objectOperator(sym, func(ev *exec.Evaluator, l, r *exec.Value) *exec.Value {
			out, err := next(ev, &exec.VarArgs{Args: []*exec.Value{l, r}, KwArgs: map[string]*exec.Value{}})
			if err != nil {
				return exec.AsValue(err)
			}
			return exec.ToValue(out)
		})
	}
}

// binaryFunc evaluates an operator on two evaluated operands.
type binaryFunc func(ev *exec.Evaluator, l, r *exec.Value) *exec.Value

// objectOperator is the helper of operator op: Python's operation when pyOperate takes
// the operands, else next.
func objectOperator(op string, next binaryFunc) func(*exec.Evaluator, *exec.VarArgs) *exec.Value {
	return func(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
		if len(args.Args) != 2 {
			return exec.AsValue(errors.New("binary operator needs two operands"))
		}
		l, r := args.Args[0], args.Args[1]
		_, lObj := l.Interface().(pyObject)
		_, rObj := r.Interface().(pyObject)
		if !lObj && !rObj {
			return next(ev, l, r) // without converting the operands: most are not datetimes
		}
		out, handled, err := pyOperate(op, toGo(l), toGo(r))
		if !handled {
			return next(ev, l, r)
		}
		if err != nil {
			err = &filterError{kind: "operator", name: op, err: err}
			stateOf(ev).record(err) // found again if gonja flattens it to text
			return exec.AsValue(err)
		}
		return exec.ToValue(out)
	}
}

// Hidden names of the operands gonjaOperator hands gonja.
const (
	operandLeft  = "\x00left"
	operandRight = "\x00right"
)

// gonjaOperator is gonja's own evaluation of `l <op> r`, for the operands that are
// not datetime values: the operator node as gonja parsed it, over two names bound to
// the evaluated operands.
func gonjaOperator(tok tokens.Type, sym string) binaryFunc {
	name := func(n string) *nodes.Name { return &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: n}} }
	node := &nodes.BinaryExpression{
		Left:     name(operandLeft),
		Operator: &nodes.BinOperator{Token: &tokens.Token{Type: tok, Val: sym}},
		Right:    name(operandRight),
	}
	return func(ev *exec.Evaluator, l, r *exec.Value) *exec.Value {
		env := *ev.Environment
		env.Context = exec.NewContext(map[string]any{operandLeft: l, operandRight: r})
		sub := &exec.Evaluator{Config: ev.Config, Environment: &env, Loader: ev.Loader}
		return sub.Eval(node)
	}
}

// negateOperator is unary minus: gonja's own for a number, a timedelta's negation,
// Python's TypeError for the rest.
func negateOperator(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
	if len(args.Args) != 1 {
		return exec.AsValue(errors.New("unary minus needs one operand"))
	}
	v := args.Args[0]
	fail := func(err error) *exec.Value {
		err = &filterError{kind: "operator", name: "-", err: err}
		stateOf(ev).record(err)
		return exec.AsValue(err)
	}
	switch t := toGo(v).(type) {
	case timedeltaValue:
		if t.us == math.MinInt64 {
			return fail(&plainError{"Python int too large to convert to C int"})
		}
		return exec.ToValue(timedeltaValue{us: -t.us})
	case bool:
		return exec.ToValue(-toInt(t))
	case int, float64:
	default:
		return fail(typeErrorf("bad operand type for unary -: '%s'", typeName(t)))
	}
	env := *ev.Environment
	env.Context = exec.NewContext(map[string]any{operandLeft: v})
	sub := &exec.Evaluator{Config: ev.Config, Environment: &env, Loader: ev.Loader}
	return sub.Eval(negation)
}

// negation is gonja's unary minus over the operand bound to operandLeft.
var negation = &nodes.UnaryExpression{
	Negative: true,
	Operator: &tokens.Token{Type: tokens.Subtraction, Val: "-"},
	Term:     &nodes.Name{Name: &tokens.Token{Type: tokens.Name, Val: operandLeft}},
}

// pyOperate is a op b when a or b is a datetime value (handled); Python's TypeError
// when Python has no such operation.
func pyOperate(op string, a, b any) (out any, handled bool, err error) {
	_, aObj := a.(pyObject)
	_, bObj := b.(pyObject)
	if !aObj && !bObj {
		return nil, false, nil
	}
	switch op {
	case "<", "<=", ">", ">=":
		c, err := pyObjectOrder(op, a, b)
		if err != nil {
			return nil, true, err
		}
		return map[string]bool{"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op], true, nil
	case "%":
		if _, ok := a.(string); ok {
			return nil, false, nil // str % value formats it (pyMod)
		}
	}
	out, err = pyArithmetic(op, a, b)
	return out, true, err
}
