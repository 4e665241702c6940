package modules

import (
	"testing"

	"github.com/gossible/gossible/template"
)

// localEnv is a controller-side Env whose Eval/Cond are the real template
// engine over a few variables, as the executor wires them.
func localEnv(t *testing.T, verbosity int) *Env {
	eng := template.New()
	sc := template.NewScope(map[string]any{"inventory_hostname": "localhost", "x": 1})
	return &Env{
		Host:      "localhost",
		Verbosity: verbosity,
		Eval:      func(expr string) (any, error) { return eng.Eval(expr, sc) },
		Cond:      func(expr string) (bool, error) { return eng.Cond(expr, sc) },
	}
}

func TestLocalDifferential(t *testing.T) {
	cases := []struct {
		name   string
		module string
		args   map[string]any
		drop   []string
	}{
		{name: "debug msg", module: "debug", args: map[string]any{"msg": "hello"}},
		{name: "debug default", module: "debug", args: map[string]any{}},
		{name: "debug list msg", module: "debug", args: map[string]any{"msg": []any{"a", 1}}},
		{name: "debug var", module: "debug", args: map[string]any{"var": "inventory_hostname"}},
		{name: "debug var undefined", module: "debug", args: map[string]any{"var": "nonexistvar"}},
		{name: "debug var expression", module: "debug", args: map[string]any{"var": "[1,2]"}},
		{name: "debug verbosity", module: "debug", args: map[string]any{"msg": "hi", "verbosity": 1}},
		{name: "debug verbosity string", module: "debug", args: map[string]any{"var": "inventory_hostname", "verbosity": "0"}},
		{name: "debug both", module: "debug", args: map[string]any{"msg": "hi", "var": "x"}},
		{name: "debug unknown", module: "debug", args: map[string]any{"msg": "x", "foo": 1}},
		{name: "fail default", module: "fail", args: map[string]any{}},
		{name: "fail msg", module: "fail", args: map[string]any{"msg": "boom"}},
		{name: "fail unknown", module: "fail", args: map[string]any{"msg": "x", "foo": 1}},
		{name: "set_fact", module: "set_fact", args: map[string]any{"a": "Yes", "b": "no", "c": []any{1}, "d": "1", "cacheable": "yes"}, drop: []string{"_ansible_facts_cacheable"}},
		{name: "set_fact bad name", module: "set_fact", args: map[string]any{"1a": 2}},
		{name: "set_fact empty", module: "set_fact", args: map[string]any{}},
		{name: "assert ok", module: "assert", args: map[string]any{"that": "1==1"}},
		{name: "assert fails", module: "assert", args: map[string]any{"that": []any{"1==1", "2==3"}, "fail_msg": []any{"a", "b"}}},
		{name: "assert msg", module: "assert", args: map[string]any{"that": "1==2", "msg": "nope"}},
		{name: "assert quiet", module: "assert", args: map[string]any{"that": "1==1", "quiet": "yes"}},
		{name: "assert success_msg", module: "assert", args: map[string]any{"that": []any{}, "success_msg": "yay"}},
		{name: "assert no that", module: "assert", args: map[string]any{"fail_msg": "x"}},
		{name: "assert unknown", module: "assert", args: map[string]any{"that": "1==1", "foo": 1}},
		{name: "ping", module: "ping", args: map[string]any{}},
		{name: "ping data", module: "ping", args: map[string]any{"data": "foo"}},
		{name: "ping unknown", module: "ping", args: map[string]any{"foo": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := ansible(t, tc.module, tc.args)
			env := localEnv(t, 0)
			if tc.module == "ping" {
				env = testEnv(t)
			}
			got := runMod(t, env, tc.module, tc.args)
			diffResults(t, tc.name, normalize(want, "\x00", tc.drop...), normalize(got, "\x00", tc.drop...))
		})
	}
}

func TestDebugVerbose(t *testing.T) {
	r := runMod(t, localEnv(t, 2), "debug", map[string]any{"msg": "hi", "verbosity": 2})
	if r["msg"] != "hi" || r["skipped"] != nil {
		t.Fatalf("verbosity 2 at -vv: %v", r)
	}
}
