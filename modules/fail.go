package modules

import "context"

func init() {
	Register(Info{Name: "ansible.builtin.fail", Local: true, New: func() Module { return failModule{} }})
}

type failModule struct{}

// Run implements fail: always a failed result with msg.
func (failModule) Run(_ context.Context, _ *Env, args map[string]any) (Result, error) {
	if r := checkValidArgs("fail", args, "msg"); r != nil {
		return r, nil
	}
	msg, ok := args["msg"]
	if !ok || msg == nil {
		msg = "Failed as requested from task"
	}
	return Result{"failed": true, "changed": false, "msg": msg}, nil
}
