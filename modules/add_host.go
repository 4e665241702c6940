package modules

import (
	"context"

	"github.com/gossible/gossible/inventory"
)

func init() {
	Register(Info{Name: "ansible.builtin.add_host", Local: true, New: func() Module { return addHostModule{} }})
}

// addHostModule reads add_host's arguments into Ansible's request: the
// host's name (a :port part becomes ansible_ssh_port), its groups and its
// other arguments as host variables. The executor adds the host to the
// run's inventory and sets "changed" by what was new.
type addHostModule struct{}

// ActionFailException is the "exception" of a failure Ansible's action
// plugin raises (AnsibleActionFail): there is no traceback, and the
// result carries no _ansible_no_log.
const ActionFailException = "NoneType: None\n"

// AddHostKey is the result key holding the request (host_name, groups,
// host_vars).
const AddHostKey = "add_host"

func (addHostModule) Run(_ context.Context, _ *Env, args map[string]any) (Result, error) {
	var name any
	for _, k := range []string{"name", "hostname", "host"} {
		if v, ok := args[k]; ok && v != nil {
			name = v
			break
		}
	}
	if name == nil {
		// Ansible raises this from its action plugin: a traceback-less exception.
		return Result{"failed": true, "changed": false, "msg": "name, host or hostname needs to be provided",
			"exception": ActionFailException}, nil
	}
	hostName, err := toStr(name)
	if err != nil {
		return failed("argument 'name' is of type " + pyType(name) + " and we were unable to convert to str"), nil
	}
	// groupname wins over groups, which wins over group.
	var groupsArg any
	for _, k := range []string{"group", "groups", "groupname"} {
		if v, ok := args[k]; ok {
			groupsArg = v
		}
	}
	groups := []string{}
	if groupsArg != nil {
		if groups, err = toStrList(groupsArg); err != nil {
			return failed("argument 'groups' is of type " + pyType(groupsArg) + " and we were unable to convert to list"), nil
		}
	}
	vars := map[string]any{}
	for k, v := range args {
		switch k {
		case "name", "hostname", "groups", "groupname":
			// Ansible keeps the host and group aliases as variables.
		default:
			vars[k] = v
		}
	}
	host, port := inventory.SplitHostPort(hostName)
	if port != 0 {
		vars["ansible_ssh_port"] = port
	}
	return Result{"changed": true, AddHostKey: map[string]any{
		"host_name": host, "groups": stringsToAny(groups), "host_vars": vars,
	}}, nil
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}
