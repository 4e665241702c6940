package modules

import (
	"context"
	"fmt"
)

func init() {
	Register(Info{Name: "ansible.builtin.assert", Local: true, New: func() Module { return assertModule{} }})
}

type assertModule struct{}

// Run implements assert: each "that" is evaluated with Env.Cond, in
// order; the first false one fails the task with fail_msg (or msg).
func (assertModule) Run(_ context.Context, env *Env, args map[string]any) (Result, error) {
	if r := checkValidArgs("assert", args, "fail_msg", "msg", "quiet", "success_msg", "that"); r != nil {
		return r, nil
	}
	thatRaw, ok := args["that"]
	if !ok || thatRaw == nil {
		return Result{"failed": true, "msg": `conditional required in "that" string`}, nil
	}
	failMsg, ok := args["fail_msg"]
	if !ok || failMsg == nil {
		failMsg = args["msg"]
	}
	if failMsg == nil {
		failMsg = "Assertion failed"
	}
	if !isStrOrList(failMsg) {
		return failed(fmt.Sprintf("Incorrect type for fail_msg or msg, expected a string or list and got %s", pyType(failMsg))), nil
	}
	successMsg, ok := args["success_msg"]
	if !ok || successMsg == nil {
		successMsg = "All assertions passed"
	}
	if !isStrOrList(successMsg) {
		return failed(fmt.Sprintf("Incorrect type for success_msg, expected a string or list and got %s", pyType(successMsg))), nil
	}
	quiet := false
	if v, ok := args["quiet"]; ok && v != nil {
		b, err := toBool(v)
		if err != nil {
			return failed(fmt.Sprintf("argument 'quiet' is of type %s and we were unable to convert to bool: %v", pyType(v), err)), nil
		}
		quiet = b
	}
	that, err := toStrList(thatRaw)
	if s, isStr := thatRaw.(string); isStr {
		that = []string{s} // a single condition may contain commas
	}
	if err != nil {
		return failed(err.Error()), nil
	}
	if env.Cond == nil {
		return nil, fmt.Errorf("assert: no conditional evaluator in the module environment")
	}
	r := Result{"changed": false}
	if !quiet {
		r["_ansible_verbose_always"] = true
	}
	for _, c := range that {
		ok, err := env.Cond(c)
		if err != nil {
			return Result{"failed": true, "msg": err.Error()}, nil
		}
		if !ok {
			r["failed"] = true
			r["evaluated_to"] = false
			r["assertion"] = c
			r["msg"] = failMsg
			return r, nil
		}
	}
	r["msg"] = successMsg
	return r, nil
}

func isStrOrList(v any) bool {
	switch v.(type) {
	case string, []any, []string:
		return true
	}
	return false
}
