package modules

import (
	"context"
	"fmt"
)

func init() {
	Register(Info{Name: "ansible.builtin.ping", New: func() Module { return pingModule{} }})
}

type pingArgs struct {
	Data *string `arg:"data"`
}

type pingModule struct{}

// Run implements ping: one round trip to the host (under become, as
// Ansible runs its module) and "ping": data.
func (pingModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a pingArgs
	if err := decodeArgs("ping", raw, &a); err != nil {
		return failed(err.Error()), nil
	}
	data := "pong"
	if a.Data != nil {
		data = *a.Data
	}
	if data == "crash" {
		// Ansible's ping raises on purpose; keep the observable result.
		return Result{"failed": true, "changed": false, "rc": 1, "module_stdout": "", "module_stderr": "Exception: boom\n",
			"msg": "MODULE FAILURE\nSee stdout/stderr for the exact error"}, nil
	}
	res, err := run(ctx, env, "true", nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return Result{"failed": true, "changed": false, "rc": res.RC, "module_stdout": string(res.Stdout),
			"module_stderr": string(res.Stderr), "msg": fmt.Sprintf("MODULE FAILURE\nSee stdout/stderr for the exact error")}, nil
	}
	return Result{"changed": false, "ping": data}, nil
}
