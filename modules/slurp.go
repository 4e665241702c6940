package modules

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
)

func init() {
	Register(Info{Name: "ansible.builtin.slurp", New: func() Module { return slurpModule{} }})
}

type slurpArgs struct {
	Src string `arg:"src,path"`
}

type slurpModule struct{}

// Run implements ansible.builtin.slurp: the file is read under become in
// one round trip and returned base64-encoded.
func (slurpModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a slurpArgs
	if r := parseArgs("slurp", raw, &a, "src,path"); r != nil {
		return r, nil
	}
	exp, err := expandArgs(ctx, env, []string{a.Src})
	if err != nil {
		return nil, err
	}
	src := exp[0]
	p := q(src)
	// One status line, then the content.
	line := "if [ -d " + p + " ]; then echo D; elif [ ! -e " + p + " ]; then echo N; elif [ ! -r " + p + " ]; then echo R; " +
		"else echo O; cat -- " + p + " || exit 1; fi"
	res, err := run(ctx, env, line, nil)
	if err != nil {
		return nil, err
	}
	status, content, _ := bytes.Cut(res.Stdout, []byte("\n"))
	switch {
	case res.RC != 0:
		return failed(fmt.Sprintf("unable to slurp file: %s", lastStderrLine(res.Stderr))), nil
	case string(status) == "D":
		return failed("source is a directory and must be a file: " + src), nil
	case string(status) == "N":
		return failed("file not found: " + src), nil
	case string(status) == "R":
		return failed("file is not readable: " + src), nil
	case string(status) != "O":
		return nil, fmt.Errorf("slurp %s: unexpected output %q", src, res.Stdout)
	}
	return Result{"changed": false, "content": base64.StdEncoding.EncodeToString(content), "source": src, "encoding": "base64"}, nil
}
