package playbook

import "fmt"

// Pos is where something was written.
type Pos struct {
	File string
	Line int
	Col  int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Playbook is one loaded playbook file.
type Playbook struct {
	Path  string // as given
	Dir   string // absolute directory of the playbook (playbook_dir)
	Plays []*Play
	// Warnings are what Ansible prints as [WARNING] while loading (duplicate
	// mapping keys, the deprecated play keyword 'user'), in load order.
	Warnings []string
}

// Play is one play. Raw values (strings that may hold templates) stay raw.
type Play struct {
	Pos               Pos
	Name              string
	Hosts             string   // pattern; lists joined with "," (as Ansible displays them)
	HostPatterns      []string // hosts as written: one string, or the list's items
	RemoteUser        string
	Become            *bool
	BecomeUser        string
	BecomeMethod      string
	Vars              map[string]any
	VarsFiles         []VarsFile
	GatherFacts       *bool // nil means the default (true)
	Serial            []any // ints or "N%" strings; empty means all hosts
	Tags              []string
	Environment       any
	IgnoreErrors      *bool
	Roles             []*RoleRef
	PreTasks          []*Task
	Tasks             []*Task
	PostTasks         []*Task
	Handlers          []*Task
	Connection        string
	MaxFailPercentage *float64
	AnyErrorsFatal    *bool
	NoLog             any
	CheckMode         *bool
	// Order is the host order: "", inventory, reverse_inventory, sorted,
	// reverse_sorted or shuffle.
	Order string
	// VarsPrompt are the play's vars_prompt entries, asked before it runs.
	VarsPrompt []VarPrompt
	// Strategy is the play's strategy keyword, short form ("linear",
	// "free", "host_pinned"); empty means the configured default.
	Strategy string
	// ModuleDefaults are the play's module_defaults mappings: module name
	// (short or FQCN, as written) to its default arguments, a mapping or a
	// template rendering to one. Entries of later mappings (blocks, the
	// task) replace a module's whole entry, as Ansible's do; "group/"
	// names are rejected at load.
	ModuleDefaults []map[string]any
	// IgnoreUnreachable: an unreachable result is counted as ignored and
	// the host stays in the play (task and blocks override it).
	IgnoreUnreachable *bool
}

// VarsFile is one vars_files entry. Written as a list, its names are
// alternatives: the first file that exists is loaded (List keeps the form
// because Ansible's not-found error prints the entry as written).
type VarsFile struct {
	Names []string // raw, possibly templated
	List  bool
}

// DisplayName is the play's name as Ansible prints it ("PLAY [name]"):
// the name, or the host pattern when the play has none.
func (p *Play) DisplayName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Hosts
}

// RoleRef is a role named in a play's roles: (or a meta dependency).
type RoleRef struct {
	Pos  Pos
	Name string
	Vars map[string]any // role params (vars: and any extra keys)
	Tags []string
	When []any
	Role *Role // resolved
}

// Role is a loaded role directory.
type Role struct {
	Name     string
	Path     string         // absolute role directory (role_path)
	Defaults map[string]any // defaults/main.yml
	Vars     map[string]any // vars/main.yml
	Tasks    []*Task        // tasks/main.yml
	Handlers []*Task        // handlers/main.yml
	Deps     []*RoleRef     // meta/main.yml dependencies, resolved
	// AllowDuplicates is meta/main.yml allow_duplicates: the role may run
	// more than once in a play with the same parameters.
	AllowDuplicates bool
}

// Task is one task, handler or block. For a block, Module is empty and Block,
// Rescue, Always hold the children.
type Task struct {
	Pos    Pos
	Name   string
	Module string         // as written: "copy" or "ansible.builtin.copy"
	Args   map[string]any // merged free-form k=v, args:, and the module's mapping; free-form text is "_raw_params"

	Loop     any    // the raw loop value (with_items / loop); nil when none
	LoopKind string // "loop", "items" (with_items), "list", "dict", ...; "" when none
	// LoopBareVar is set when with_items names a bare variable (the Ansible
	// 1.x form "with_items: files"); the executor resolves it when defined.
	LoopBareVar  string
	LoopControl  map[string]any
	When         []any // strings and bools, ANDed
	Tags         []string
	Register     string
	IgnoreErrors *bool
	ChangedWhen  []any
	FailedWhen   []any
	Notify       []string
	Listen       []string // handlers only
	Become       *bool
	BecomeUser   string
	BecomeMethod string
	Environment  any
	NoLog        any // bool or template string
	Vars         map[string]any
	CheckMode    *bool
	Diff         *bool
	DelegateTo   string
	// DelegateFacts gives the facts a delegated task returns to the
	// delegated host rather than to the host it runs for.
	DelegateFacts *bool
	// AnyErrorsFatal on a task or block overrides the play's (nearest wins).
	AnyErrorsFatal *bool
	// IgnoreUnreachable on a task or block overrides the play's (nearest wins).
	IgnoreUnreachable *bool
	// ModuleDefaults of a task or block come after its parents' and the
	// play's (see Play.ModuleDefaults).
	ModuleDefaults []map[string]any
	RunOnce        *bool
	Throttle       any // int or template: most hosts running the task at once
	Until          any
	Retries        any
	Delay          any

	Block  []*Task
	Rescue []*Task
	Always []*Task

	Role    *Role // the role the task came from; nil for play tasks
	Handler bool  // defined under handlers:

	// Imported names the action ("import_tasks", "import_role") a block
	// was expanded from at load time; "" for other tasks and blocks.
	Imported string
	// RoleInclude is the role of an import_role or include_role task,
	// loaded with its tasks_from/vars_from/defaults_from/handlers_from
	// variant; nil for other tasks.
	RoleInclude *RoleRef
	// Apply is an include_tasks/include_role's apply: the block keywords
	// the included tasks get; nil when none.
	Apply *Task
	// Public is include_role's public: its defaults and vars are seen by
	// the rest of the play.
	Public bool
}

// IsBlock reports whether t is a block rather than a module call.
func (t *Task) IsBlock() bool {
	return t.Module == "" && (t.Block != nil || t.Rescue != nil || t.Always != nil)
}
