package template

import (
	"errors"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// A method call `x.name(args)` is rewritten at compile time to `fnMethod(x, 'name',
// 'x')(args)`: gonja's own method dispatch turns every failure into the text "invalid call
// to method ...", losing the Python TypeError, and calls an unknown method an invalid
// call where Jinja2 finds an undefined attribute. fnMethod returns what the call calls:
//   - a callable attribute of x (loop.cycle, a macro of an imported template, a datetime's
//     strftime), which gonja then calls as before;
//   - else x's Python method of that name, bound, with its failures recorded for the run
//     (so they keep their type);
//   - else a callable failing with Ansible's "'str object' has no attribute 'name'".

// fnMethod is the hidden global the rewrite calls.
const fnMethod = "\x00method"

// methodCallRewrite rewrites c when it calls an attribute: its function becomes fnMethod's result.
// The third argument is the variable x names, if x is one: a method that changes its
// value (list.append) is stored back there, as gonja does.
func methodCallRewrite(c *nodes.Call) (nodes.Expression, bool) {
	ga, ok := c.Func.(*nodes.GetAttribute)
	if !ok || ga.Attribute == "" || ga.Location == nil {
		return nil, false
	}
	str := func(s string) nodes.Expression {
		tok := *ga.Location
		tok.Type, tok.Val = tokens.String, s
		return &nodes.String{Location: &tok, Val: s}
	}
	varName := ""
	if n, ok := ga.Node.(*nodes.Name); ok && n.Name != nil {
		varName = n.Name.Val
	}
	return &nodes.Call{
		Location: c.Location,
		Func:     helperCall(ga.Location, fnMethod, ga.Node, str(ga.Attribute), str(varName)),
		Args:     c.Args,
		Kwargs:   c.Kwargs,
	}, true
}

func init() { operatorFuncs[fnMethod] = boundMethod }

// boundMethod is fnMethod(x, name, varName): see the comment at the top of the file.
func boundMethod(ev *exec.Evaluator, args *exec.VarArgs) *exec.Value {
	if len(args.Args) != 3 {
		return exec.AsValue(errors.New("method helper needs three arguments"))
	}
	self, name, varName := args.Args[0], args.Args[1].String(), args.Args[2].String()
	if self.IsError() {
		return self
	}
	if !self.IsNil() {
		attr, found := self.GetAttribute(name)
		if !found {
			attr, found = self.GetItem(name)
		}
		if found && attr.IsCallable() {
			return attr
		}
	}
	call := valueMethod(ev, self, name)
	if call == nil {
		obj := "None"
		if !self.IsNil() {
			obj = typeName(toGo(self)) + " object"
		}
		u := &UndefinedError{Object: obj, Attr: name}
		return exec.AsValue(func(ev *exec.Evaluator, _ *exec.VarArgs) *exec.Value {
			stateOf(ev).record(u)
			return exec.AsValue(u)
		})
	}
	return exec.AsValue(func(ev *exec.Evaluator, params *exec.VarArgs) *exec.Value {
		out, err := call(params)
		if err != nil {
			if errorIn[*UndefinedError](err) == nil {
				err = &filterError{kind: "method", name: name, err: err}
			}
			stateOf(ev).record(err)
			return exec.AsValue(err)
		}
		if varName != "" && ev.Environment.Context.Has(varName) {
			ev.Environment.Context.Set(varName, self.Interface())
		}
		return exec.AsValue(out)
	})
}

// valueMethod finds x's method name among the environment's, as gonja's dispatch does by
// x's kind; nil when x has none.
func valueMethod(ev *exec.Evaluator, self *exec.Value, name string) func(*exec.VarArgs) (any, error) {
	ms := ev.Environment.Methods
	switch {
	case self.IsNil():
		return nil
	case self.IsString():
		if m, ok := ms.Str.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) { return m(self.String(), self, a) }
		}
	case self.IsBool():
		if m, ok := ms.Bool.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) { return m(self.Bool(), self, a) }
		}
	case self.IsFloat():
		if m, ok := ms.Float.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) { return m(self.Float(), self, a) }
		}
	case self.IsInteger():
		if m, ok := ms.Int.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) { return m(self.Integer(), self, a) }
		}
	case self.IsDict():
		if m, ok := ms.Dict.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) {
				d, ok := self.ToGoSimpleType(false).(map[string]any)
				if !ok {
					return nil, errors.New("not a mapping: " + self.String())
				}
				return m(d, self, a)
			}
		}
	case self.IsList():
		if m, ok := ms.List.Get(name); ok {
			return func(a *exec.VarArgs) (any, error) {
				l, ok := self.ToGoSimpleType(false).([]any)
				if !ok {
					return nil, errors.New("not a list: " + self.String())
				}
				return m(l, self, a)
			}
		}
	}
	return nil
}
