package main

import (
	"github.com/spf13/cobra"
)

// playbookFlags are ansible-playbook's options.
type playbookFlags struct {
	inventory      []string
	limit          string
	tags           []string
	skipTags       []string
	extraVars      []string
	user           string
	privateKey     string
	askPass        bool
	become         bool
	becomeUser     string
	becomeMethod   string
	askBecomePass  bool
	forks          int
	connection     string
	timeout        int
	check          bool
	diff           bool
	verbose        int
	listHosts      bool
	listTasks      bool
	listTags       bool
	syntaxCheck    bool
	startAtTask    string
	version        bool
	forksSet       bool
	timeoutSet     bool
	becomeSet      bool
	becomeUserSet  bool
	becomeMethSet  bool
	connectionSet  bool
	userSet        bool
	privateKeySet  bool
	askBecomeSet   bool
	becomePassword string
	forceHandlers  bool
	flushCache     bool
	unsupported    map[string]*string // flags taken for a clear error
	step           bool
	// vault sources, as ansible-playbook's --vault-id (repeatable),
	// --vault-password-file (repeatable) and --ask-vault-password
	vaultIDs           []string
	vaultPasswordFiles []string
	askVault           bool
	askVaultSet        bool
	// vaultConflict: --ask-vault-password with --vault-password-file,
	// which argparse refuses
	vaultConflict bool
	cmd           *cobra.Command
}

func (f *playbookFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringArrayVarP(&f.inventory, "inventory", "i", nil, "specify inventory host path or comma separated host list")
	fl.StringArrayVar(&f.inventory, "inventory-file", nil, "deprecated alias of --inventory")
	_ = fl.MarkHidden("inventory-file")
	fl.StringVarP(&f.limit, "limit", "l", "", "further limit selected hosts to an additional pattern")
	fl.StringArrayVarP(&f.tags, "tags", "t", nil, "only run plays and tasks tagged with these values")
	fl.StringArrayVar(&f.skipTags, "skip-tags", nil, "only run plays and tasks whose tags do not match these values")
	fl.StringArrayVarP(&f.extraVars, "extra-vars", "e", nil, "set additional variables as key=value or YAML/JSON, if filename prepend with @")
	fl.StringVarP(&f.user, "user", "u", "", "connect as this user")
	fl.StringVar(&f.privateKey, "private-key", "", "use this file to authenticate the connection")
	fl.StringVar(&f.privateKey, "key-file", "", "use this file to authenticate the connection")
	fl.BoolVarP(&f.askPass, "ask-pass", "k", false, "ask for connection password")
	fl.BoolVarP(&f.become, "become", "b", false, "run operations with become (does not imply password prompting)")
	fl.StringVar(&f.becomeUser, "become-user", "", "run operations as this user (default=root)")
	fl.StringVar(&f.becomeMethod, "become-method", "", "privilege escalation method to use (default=sudo)")
	fl.BoolVarP(&f.askBecomePass, "ask-become-pass", "K", false, "ask for privilege escalation password")
	fl.IntVarP(&f.forks, "forks", "f", 5, "specify number of parallel processes to use")
	fl.StringVarP(&f.connection, "connection", "c", "", "connection type to use: ssh or local (default=ssh)")
	fl.IntVarP(&f.timeout, "timeout", "T", 10, "override the connection timeout in seconds")
	fl.BoolVarP(&f.check, "check", "C", false, "don't make any changes; instead, try to predict some of the changes that may occur")
	fl.BoolVarP(&f.diff, "diff", "D", false, "when changing (small) files and templates, show the differences in those files")
	fl.CountVarP(&f.verbose, "verbose", "v", "verbose mode (-vvv for more, -vvvv for connection debugging)")
	fl.BoolVar(&f.listHosts, "list-hosts", false, "outputs a list of matching hosts; does not execute anything else")
	fl.BoolVar(&f.listTasks, "list-tasks", false, "list all tasks that would be executed")
	fl.BoolVar(&f.listTags, "list-tags", false, "list all available tags")
	fl.BoolVar(&f.syntaxCheck, "syntax-check", false, "perform a syntax check on the playbook, but do not execute it")
	fl.StringVar(&f.startAtTask, "start-at-task", "", "start the playbook at the task matching this name")
	fl.BoolVar(&f.version, "version", false, "show program's version number and exit")
	fl.BoolVar(&f.forceHandlers, "force-handlers", false, "run handlers even if a task fails")
	fl.BoolVar(&f.flushCache, "flush-cache", false, "clear the fact cache (gossible keeps none between runs)")
	fl.BoolVar(&f.step, "step", false, "one-step-at-a-time (not supported by gossible)")
	f.registerVault(cmd)
	f.unsupported = map[string]*string{}
	for _, name := range []string{"module-path", "ssh-common-args", "ssh-extra-args", "sftp-extra-args", "scp-extra-args", "connection-password-file", "become-password-file"} {
		v := new(string)
		f.unsupported[name] = v
		fl.StringVar(v, name, "", "not supported by gossible")
		_ = fl.MarkHidden(name)
	}
	_ = fl.MarkHidden("step")
}

// registerVault adds the vault options ansible-playbook shares with
// ansible-inventory.
func (f *playbookFlags) registerVault(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.Var(appendValue{&f.vaultIDs}, "vault-id", "the vault identity to use")
	fl.BoolVar(&f.askVault, "ask-vault-password", false, "ask for vault password")
	fl.BoolVar(&f.askVault, "ask-vault-pass", false, "ask for vault password")
	fl.Var(appendValue{&f.vaultPasswordFiles}, "vault-password-file", "vault password file")
	fl.Var(appendValue{&f.vaultPasswordFiles}, "vault-pass-file", "vault password file")
	_ = fl.MarkHidden("ask-vault-pass")
	_ = fl.MarkHidden("vault-pass-file")
}

// unsupportedFlag names a given ansible-playbook option gossible lacks.
func (f *playbookFlags) unsupportedFlag(cmd *cobra.Command) string {
	for _, name := range []string{"step"} {
		if cmd.Flags().Changed(name) {
			return name
		}
	}
	for name := range f.unsupported {
		if cmd.Flags().Changed(name) {
			return name
		}
	}
	return ""
}

// markSet records which options were given, so config values apply only
// to the others.
func (f *playbookFlags) markSet(cmd *cobra.Command) {
	ch := cmd.Flags().Changed
	f.forksSet = ch("forks")
	f.timeoutSet = ch("timeout")
	f.becomeSet = ch("become")
	f.becomeUserSet = ch("become-user")
	f.becomeMethSet = ch("become-method")
	f.connectionSet = ch("connection")
	f.userSet = ch("user")
	f.privateKeySet = ch("private-key") || ch("key-file")
	f.askBecomeSet = ch("ask-become-pass")
	f.askVaultSet = ch("ask-vault-password") || ch("ask-vault-pass")
	f.vaultConflict = f.askVaultSet && (ch("vault-password-file") || ch("vault-pass-file"))
	f.cmd = cmd
}
