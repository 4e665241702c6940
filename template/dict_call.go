package template

import (
	"fmt"
	"sort"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"github.com/gossible/gossible/internal/keyorder"
)

// kwargsDict rewrites a dict(...) call: keyword arguments only become the {...} literal
// they mean, its pairs in the order the arguments were written (their source positions);
// dict(x, k=v...) calls fnDict(x, {k: v...}). gonja's own dict() ignores a positional
// argument and orders keywords at random.
func kwargsDict(c *nodes.Call) (nodes.Expression, bool) {
	name, ok := c.Func.(*nodes.Name)
	if !ok || name.Name == nil || name.Name.Val != "dict" || len(c.Args) > 1 || len(c.Args)+len(c.Kwargs) == 0 {
		return nil, false
	}
	lit := kwargsLiteral(c)
	if len(c.Args) == 0 {
		return lit, true
	}
	tok := *name.Name
	tok.Val = fnDict
	return &nodes.Call{
		Location: c.Location,
		Func:     &nodes.Name{Name: &tok},
		Args:     []nodes.Expression{c.Args[0], lit},
		Kwargs:   map[string]nodes.Expression{},
	}, true
}

func kwargsLiteral(c *nodes.Call) *nodes.Dict {
	keys := make([]string, 0, len(c.Kwargs))
	for k := range c.Kwargs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.Kwargs[keys[i]].Position().Pos < c.Kwargs[keys[j]].Position().Pos
	})
	pairs := make([]*nodes.Pair, len(keys))
	for i, k := range keys {
		tok := *c.Kwargs[k].Position()
		tok.Type, tok.Val = tokens.String, k
		pairs[i] = &nodes.Pair{Key: &nodes.String{Location: &tok, Val: k}, Value: c.Kwargs[k]}
	}
	return &nodes.Dict{Token: c.Location, Pairs: pairs}
}

// fnDict is dict(x, **kw) (see kwargsDict): x is a mapping or a sequence of pairs.
const fnDict = "\x00dict"

func init() {
	operatorFuncs[fnDict] = func(ev *exec.Evaluator, args *exec.VarArgs) (any, error) {
		for _, a := range args.Args {
			if a.IsError() {
				return nil, a
			}
		}
		out, err := pyDict(toGo(args.Args[0]), toGo(args.Args[1]))
		if err != nil {
			stateOf(ev).record(err) // gonja flattens it into "invalid call to function"
			return nil, err
		}
		return wrap(out), nil
	}
}

// pyDict is Python's dict(x, **kw), keeping insertion order.
func pyDict(x, kw any) (map[string]any, error) {
	out := map[string]any{}
	var order []string
	set := func(k string, v any) {
		if _, dup := out[k]; !dup {
			order = append(order, k)
		}
		out[k] = v
	}
	switch t := x.(type) {
	case map[string]any:
		for _, k := range orderedKeys(t) {
			set(k, t[k])
		}
	case []any:
		for i, e := range t {
			pair, err := iterate(e)
			if err != nil {
				return nil, fmt.Errorf("cannot convert dictionary update sequence element #%d to a sequence", i)
			}
			if len(pair) != 2 {
				return nil, fmt.Errorf("dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
			}
			set(keyString(pair[0]), pair[1])
		}
	default:
		return nil, fmt.Errorf("'%s' object is not iterable", typeName(x))
	}
	if m, ok := kw.(map[string]any); ok {
		for _, k := range orderedKeys(m) {
			set(k, m[k])
		}
	}
	keyorder.Record(out, order)
	return out, nil
}
