package playbook

// Keyword tables. "supported" keywords are loaded into the types; the
// "unsupported" ones are valid Ansible 2.14 keywords that gossible does not
// implement yet and rejects by name rather than ignoring.

var playSupported = set(
	"hosts", "name", "remote_user", "user", "become", "become_user", "become_method",
	"vars", "vars_files", "gather_facts", "serial", "roles", "pre_tasks", "tasks",
	"post_tasks", "handlers", "tags", "environment", "ignore_errors", "connection",
	"max_fail_percentage", "any_errors_fatal", "no_log", "check_mode", "strategy",
	"order", "vars_prompt", "module_defaults", "ignore_unreachable",
)

var playUnsupported = set(
	"gather_subset", "gather_timeout", "fact_path", "force_handlers",
	"port", "run_once", "diff",
	"throttle", "timeout", "debugger", "become_flags", "become_exe", "collections",
)

// hostOrders are the values of the play keyword order.
var hostOrders = set("inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle")

var taskSupported = set(
	"name", "when", "tags", "register", "ignore_errors", "changed_when", "failed_when",
	"notify", "become", "become_user", "become_method", "environment", "no_log", "vars",
	"check_mode", "diff", "delegate_to", "run_once", "until", "retries", "delay", "loop",
	"loop_control", "args", "action", "local_action", "throttle", "delegate_facts",
	"any_errors_fatal", "module_defaults", "ignore_unreachable",
)

var taskUnsupported = set(
	"async", "poll",
	"timeout", "debugger", "become_flags", "become_exe", "collections",
	"port", "connection", "remote_user",
)

var blockSupported = set(
	"block", "rescue", "always", "name", "when", "tags", "become", "become_user",
	"become_method", "environment", "ignore_errors", "vars", "no_log", "check_mode",
	"diff", "delegate_to", "run_once", "throttle", "delegate_facts", "any_errors_fatal",
	"module_defaults", "ignore_unreachable",
)

var blockUnsupported = set(
	"timeout", "debugger",
	"become_flags", "become_exe", "collections",
	"port", "connection", "remote_user",
)

// roleUnsupported are role keywords (not role params) gossible rejects.
var roleUnsupported = set(
	"become", "become_user", "become_method", "become_flags", "become_exe", "environment",
	"ignore_errors", "no_log", "check_mode", "diff", "delegate_to", "delegate_facts",
	"run_once", "any_errors_fatal", "connection", "port", "remote_user", "module_defaults",
	"collections", "throttle", "timeout", "debugger", "ignore_unreachable",
)

var loopControlKeys = set("loop_var", "index_var", "label", "pause", "extended", "extended_allitems")

// lookups are the with_<lookup> loops Ansible 2.14 (with the Debian
// collections) resolves; the executor decides which it can run.
var lookups = set(
	"items", "list", "dict", "indexed_items", "flattened", "together", "nested",
	"subelements", "sequence", "random_choice", "fileglob", "first_found", "lines",
	"file", "env", "pipe", "template", "inventory_hostnames", "cartesian", "password",
	"url", "vars", "varnames", "config", "csvfile", "ini", "unvault",
)

// bareVarLoops are the with_ loops whose bare-identifier value is the
// Ansible 1.x "name of a list variable" form.
var bareVarLoops = set("items", "list", "indexed_items", "flattened", "dict")

// freeForm actions take free text (_raw_params); only a few k=v options are
// split out of it (Ansible's MODULE_REQUIRE_ARGS).
var freeForm = withFQCN("command", "shell", "raw", "script", "win_command", "win_shell")

// rawParamOK actions may carry _raw_params without being free-form.
var rawParamOK = union(freeForm, withFQCN("include", "include_vars", "include_tasks", "include_role",
	"import_tasks", "import_role", "add_host", "group_by", "set_fact", "meta"))

// freeFormOptions are the k=v words split out of free-form text.
var freeFormOptions = set("creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func withFQCN(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
		m["ansible.builtin."+n] = true
		m["ansible.legacy."+n] = true
	}
	m["ansible.windows.win_command"] = true
	m["ansible.windows.win_shell"] = true
	return m
}

func union(a, b map[string]bool) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func keys(ms ...map[string]bool) []string {
	var out []string
	for _, m := range ms {
		for k := range m {
			out = append(out, k)
		}
	}
	return out
}
