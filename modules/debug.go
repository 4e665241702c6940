package modules

import (
	"context"
	"errors"
	"fmt"

	"github.com/gossible/gossible/template"
)

func init() {
	Register(Info{Name: "ansible.builtin.debug", Local: true, New: func() Module { return debugModule{} }})
}

type debugModule struct{}

// Run implements debug on the controller: msg (already templated by the
// executor), or var evaluated with Env.Eval; verbosity skips it below -v.
func (debugModule) Run(_ context.Context, env *Env, args map[string]any) (Result, error) {
	if r := checkValidArgs("debug", args, "msg", "var", "verbosity"); r != nil {
		return r, nil
	}
	_, hasMsg := args["msg"]
	v, hasVar := args["var"]
	if hasMsg && hasVar {
		return failed("'msg' and 'var' are incompatible options"), nil
	}
	verbosity := 0
	if raw, ok := args["verbosity"]; ok && raw != nil {
		n, err := toInt(raw)
		if err != nil {
			return failed(fmt.Sprintf("argument 'verbosity' is of type %s and we were unable to convert to int: %v", pyType(raw), err)), nil
		}
		verbosity = n
	}
	if env.Verbosity < verbosity {
		return Result{"changed": false, "skipped": true, "skipped_reason": "Verbosity threshold not met."}, nil
	}
	r := Result{"changed": false, "_ansible_verbose_always": true}
	if !hasVar {
		msg, ok := args["msg"]
		if !ok || msg == nil {
			msg = "Hello world!"
		}
		r["msg"] = msg
		return r, nil
	}
	name, _ := toStr(v)
	if _, isStr := v.(string); !isStr {
		// A list or dict given as var is shown as it is, keyed by its text.
		name = fmt.Sprint(v)
		r[name] = v
		return r, nil
	}
	if env.Eval == nil {
		return nil, fmt.Errorf("debug var=%s: no expression evaluator in the module environment", name)
	}
	val, err := env.Eval(name)
	var ue *template.UndefinedError
	switch {
	case errors.As(err, &ue):
		val = "VARIABLE IS NOT DEFINED!"
		if env.Verbosity > 0 {
			val = fmt.Sprintf("VARIABLE IS NOT DEFINED!: %v", err)
		}
	case err != nil:
		// Ansible's debug raises: a plain failure, not a verbose debug result
		return nil, err
	case val == name:
		val = "VARIABLE IS NOT DEFINED!"
	}
	r[name] = val
	return r, nil
}
