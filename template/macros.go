package template

import (
	"bytes"
	"fmt"
	"reflect"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Jinja2's macro calling conventions, which gonja spells differently:
//   - a macro whose body reads `varargs` or `kwargs` takes extra positional or keyword
//     arguments into them (gonja wants *args and **kwargs in the signature);
//   - a macro whose body reads `caller` gets the body of a {% call %} as a keyword
//     argument, and {% call(a, b) m() %} passes arguments to caller() (gonja's call tag
//     takes none, and finds caller() only where the macro was defined).

// callerArg is the hidden name under which {% call %} hands its body to the macro.
const callerArg = "\x00caller"

// implicitMacroArgs gives the macros of a parsed template (and of those it extends) the
// parameters their bodies imply.
func implicitMacroArgs(t *nodes.Template) {
	for ; t != nil; t = t.Parent {
		for _, m := range t.Macros {
			uses := namesIn(m.Wrapper)
			if uses["varargs"] && m.VarArgsName == "" {
				m.VarArgsName = "varargs"
			}
			if uses["kwargs"] && m.KwArgsName == "" {
				m.KwArgsName = "kwargs"
			}
			if uses["caller"] && !hasParam(m, "caller") {
				tok := &tokens.Token{Type: tokens.Name, Val: "caller"}
				m.Kwargs = append(m.Kwargs, &nodes.Pair{
					Key:   &nodes.String{Location: tok, Val: "caller"},
					Value: &nodes.None{Location: tok},
				})
			}
		}
	}
}

func hasParam(m *nodes.Macro, name string) bool {
	for _, p := range m.Kwargs {
		if s, ok := p.Key.(*nodes.String); ok && s.Val == name {
			return true
		}
	}
	return false
}

// namesIn lists the variable names read anywhere under n.
func namesIn(n any) map[string]bool {
	out := map[string]bool{}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if name, ok := v.Interface().(*nodes.Name); ok && name.Name != nil {
				out[name.Name.Val] = true
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(n))
	return out
}

// callTag is {% call[(params)] macro(args) %}body{% endcall %}.
type callTag struct {
	location *tokens.Token
	params   []string
	defaults map[string]nodes.Expression
	call     *nodes.Call
	body     *nodes.Wrapper
}

func (c *callTag) Position() *tokens.Token { return c.location }
func (c *callTag) String() string {
	return fmt.Sprintf("CallControlStructure(Line=%d Col=%d)", c.location.Line, c.location.Col)
}

func (c *callTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	caller := func(va *exec.VarArgs) *exec.Value {
		sub := r.Inherit()
		var buf bytes.Buffer
		sub.Output = &buf
		for i, p := range c.params {
			switch {
			case i < len(va.Args):
				sub.Environment.Context.Set(p, va.Args[i])
			case va.KwArgs[p] != nil:
				sub.Environment.Context.Set(p, va.KwArgs[p])
			case c.defaults[p] != nil:
				sub.Environment.Context.Set(p, r.Eval(c.defaults[p]))
			default:
				sub.Environment.Context.Set(p, &UndefinedError{Name: p})
			}
		}
		if err := sub.ExecuteWrapper(c.body); err != nil {
			return exec.AsValue(err)
		}
		return exec.AsSafeValue(buf.String())
	}
	sub := r.Inherit()
	sub.Environment.Context.Set(callerArg, caller)
	v := sub.Eval(c.call)
	if v.IsError() {
		return v
	}
	_, err := r.Output.Write([]byte(v.String()))
	return err
}

func callTagParser(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
	c := &callTag{location: p.Current(), defaults: map[string]nodes.Expression{}}
	if args.Match(tokens.LeftParenthesis) != nil {
		for args.Match(tokens.RightParenthesis) == nil {
			name := args.Match(tokens.Name)
			if name == nil {
				return nil, args.Error("expected a parameter name", args.Current())
			}
			c.params = append(c.params, name.Val)
			if args.Match(tokens.Assign) != nil {
				def, err := args.ParseExpression()
				if err != nil {
					return nil, err
				}
				c.defaults[name.Val] = def
			}
			if args.Match(tokens.Comma) == nil && args.Current(tokens.RightParenthesis) == nil {
				return nil, args.Error("expected ',' or ')'", args.Current())
			}
		}
	}
	expr, err := args.ParseExpression()
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*nodes.Call)
	if !ok {
		return nil, args.Error("expected a macro call after {% call %}", args.Current())
	}
	tok := &tokens.Token{Type: tokens.Name, Val: callerArg, Line: c.location.Line, Col: c.location.Col}
	if call.Kwargs == nil {
		call.Kwargs = map[string]nodes.Expression{}
	}
	call.Kwargs["caller"] = &nodes.Name{Name: tok}
	c.call = call
	if !args.End() {
		return nil, args.Error("malformed call tag", args.Current())
	}
	body, end, err := p.WrapUntil("endcall")
	if err != nil {
		return nil, err
	}
	if !end.End() {
		return nil, end.Error("endcall takes no arguments", nil)
	}
	c.body = body
	return c, nil
}
