package modules

import (
	"context"
	"sort"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.group_by", Local: true, New: func() Module { return groupByModule{} }})
}

// groupByModule reads group_by's arguments into Ansible's request: the
// group (add_group) and its parents (parent_groups, default all), spaces
// made dashes. The executor puts the host in the group and sets
// "changed" by what was new.
type groupByModule struct{}

// GroupByKey is the result key naming the group.
const GroupByKey = "add_group"

func (groupByModule) Run(_ context.Context, _ *Env, args map[string]any) (Result, error) {
	var bad []string
	for k := range args {
		if k != "key" && k != "parents" {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return Result{"failed": true, "changed": false, "msg": "Invalid options for group_by: " + strings.Join(bad, ","),
			"exception": ActionFailException}, nil
	}
	key, ok := args["key"]
	if !ok {
		return failed("the 'key' param is required when using group_by"), nil
	}
	name, err := toStr(key)
	if err != nil {
		return failed("argument 'key' is of type " + pyType(key) + " and we were unable to convert to str"), nil
	}
	parents := []string{"all"}
	if p, ok := args["parents"]; ok {
		if s, isStr := p.(string); isStr {
			parents = []string{s}
		} else if parents, err = toStrList(p); err != nil {
			return failed("argument 'parents' is of type " + pyType(p) + " and we were unable to convert to list"), nil
		}
	}
	dashed := make([]any, len(parents))
	for i, p := range parents {
		dashed[i] = strings.ReplaceAll(p, " ", "-")
	}
	return Result{"changed": true, GroupByKey: strings.ReplaceAll(name, " ", "-"), "parent_groups": dashed}, nil
}
