package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/gossible/gossible/config"
	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/vault"
)

func loadConfig() (*config.Config, error) {
	cwd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	return config.Load(os.LookupEnv, cwd, home)
}

// knownModule is what the loader accepts as a module: the registry, and
// meta (run by the executor).
func knownModule(name string) bool {
	if name == "meta" || name == "ansible.builtin.meta" {
		return true
	}
	_, ok := modules.Lookup(name)
	return ok
}

func moduleNames() []string { return append(modules.Names(), "meta", "ansible.builtin.meta") }

// runPlaybooks is ansible-playbook: load config, inventory and playbooks,
// then list or run them.
func runPlaybooks(ctx context.Context, f *playbookFlags, args []string, io stdio) error {
	cfg, err := loadConfig()
	if err != nil {
		return optionsError(err.Error())
	}
	if f.forks < 1 {
		return optionsError("The number of processes (--forks) must be >= 1")
	}
	if f.vaultConflict {
		return &usageError{cmd: f.cmd, err: errors.New("argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass")}
	}
	disp := newDisplay(cfg, io)
	secrets, err := loadVaultSecrets(cfg, f, disp)
	if err != nil {
		return fail(err)
	}
	extra, err := parseExtraVarsWith(f.extraVars, secrets)
	if err != nil {
		return fail(err)
	}
	if f.verbose > 1 {
		var b strings.Builder
		printVersion(&b, os.Getenv)
		disp.Print(strings.TrimSuffix(b.String(), "\n"), display.Blue, false)
	}
	if f.verbose > 0 {
		if cfg.File != "" {
			disp.Print("Using "+cfg.File+" as config file", display.Blue, false)
		} else {
			disp.Print("No config file found; using defaults", display.Blue, false)
		}
	}

	sources := f.inventory
	if len(sources) == 0 {
		sources = cfg.Inventory
	}
	inv, err := loadInventory(sources, secrets, disp)
	if err != nil {
		return vaultFail(err)
	}
	var pbs []*playbook.Playbook
	for _, path := range args {
		pb, err := playbook.Load(path, playbook.Options{RolesPath: cfg.RolesPath, KnownModule: knownModule, ModuleNames: moduleNames, VaultSecrets: secrets})
		if err != nil {
			return vaultFail(err)
		}
		inv.AddVarsDir(pb.Dir)
		pbs = append(pbs, pb)
	}
	for _, w := range inv.Warnings() {
		disp.Warning(w)
	}
	if f.limit != "" {
		for _, p := range inv.UnmatchedPatterns(f.limit) {
			disp.Warning("Could not match supplied host pattern, ignoring: " + p)
		}
		if hs, err := inv.Select(f.limit); err != nil {
			return fail(err)
		} else if len(hs) == 0 {
			return fail(errors.New("Specified inventory, host pattern and/or --limit leaves us with no hosts to target."))
		}
	}
	switch {
	case f.syntaxCheck:
		for _, pb := range pbs {
			fmt.Fprintf(io.out, "\nplaybook: %s\n", pb.Path)
		}
		return nil
	case f.listHosts || f.listTasks || f.listTags:
		return listPlaybooks(io.out, pbs, inv, f)
	}

	opts, err := executorOptions(cfg, f, inv, extra, secrets, io)
	if err != nil {
		return err
	}
	opts.Callback, err = newCallback(cfg, disp, f.verbose, io)
	if err != nil {
		return err
	}
	out, err := executor.Run(ctx, pbs, opts)
	if err != nil {
		return fail(err)
	}
	switch {
	case out.Unreachable:
		return &exitError{code: exitUnreachable}
	case out.Failed:
		return &exitError{code: exitFailedHosts}
	}
	return nil
}

// loadInventory loads the sources; like Ansible, a source that cannot be
// parsed is a warning and the run goes on with the rest (or with the
// implicit localhost only).
func loadInventory(sources []string, secrets []vault.Secret, disp *display.Display) (*inventory.Inventory, error) {
	// A group_vars/host_vars file that cannot be read is no error here:
	// the play that needs it stops the run (executor.VarsFileError).
	inv, err := inventory.LoadWith(sources, inventory.LoadOptions{Secrets: secrets})
	parseFailed := false
	if err != nil {
		var pe *inventory.ParseError
		if inv == nil || !errors.As(err, &pe) {
			return nil, err
		}
		parseFailed = true
		if pe.Plugin != "source" {
			for _, tried := range append(append([]*inventory.ParseError{}, pe.Tried...), pe) {
				disp.Warning(fmt.Sprintf(" * Failed to parse %s with %s plugin: %s", tried.File, tried.Plugin, tried.Error()))
			}
		}
		disp.Warning(fmt.Sprintf("Unable to parse %s as an inventory source", pe.File))
	}
	if len(inv.Hosts()) == 0 {
		if parseFailed {
			disp.Warning("No inventory was parsed, only implicit localhost is available")
		}
		disp.Warning("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'")
	}
	return inv, nil
}

// executorOptions merges config and flags: flags win over ansible.cfg.
func executorOptions(cfg *config.Config, f *playbookFlags, inv *inventory.Inventory, extra map[string]any, secrets []vault.Secret, io stdio) (executor.Options, error) {
	o := executor.Options{
		Inventory:       inv,
		Limit:           f.limit,
		Tags:            splitTags(f.tags),
		SkipTags:        splitTags(f.skipTags),
		ExtraVars:       extra,
		Check:           f.check,
		Diff:            f.diff,
		Forks:           cfg.Forks,
		Verbosity:       f.verbose,
		StartAtTask:     f.startAtTask,
		Connection:      f.connection,
		RemoteUser:      cfg.RemoteUser,
		PrivateKeyFile:  cfg.PrivateKeyFile,
		Become:          cfg.Become || f.become,
		BecomeUser:      cfg.BecomeUser,
		BecomeMethod:    cfg.BecomeMethod,
		HostKeyChecking: cfg.HostKeyChecking,
		Timeout:         cfg.Timeout,
		ForceHandlers:   f.forceHandlers,
		Strategy:        cfg.Strategy,
		VaultSecrets:    secrets,
		Prompt:          promptFunc(io),
	}
	if f.forksSet {
		o.Forks = f.forks
	}
	if f.timeoutSet {
		o.Timeout = time.Duration(f.timeout) * time.Second
	}
	if f.userSet {
		o.RemoteUser = f.user
	}
	if f.privateKeySet {
		o.PrivateKeyFile = f.privateKey
	}
	if f.becomeUserSet {
		o.BecomeUser = f.becomeUser
	}
	if f.becomeMethSet {
		o.BecomeMethod = f.becomeMethod
	}
	switch o.Connection {
	case "", "ssh", "smart", "local", "paramiko":
	default:
		return o, &exitError{code: exitGeneric, msg: fmt.Sprintf("ERROR! the connection plugin '%s' was not found", o.Connection)}
	}
	if f.askPass {
		pw, err := readPassword(io, "SSH password: ")
		if err != nil {
			return o, err
		}
		o.Password = pw
	}
	if f.askBecomePass || (cfg.BecomeAskPass && !f.askBecomeSet) {
		prompt := "BECOME password: "
		if f.askPass {
			prompt = "BECOME password[defaults to SSH password]: "
		}
		pw, err := readPassword(io, prompt)
		if err != nil {
			return o, err
		}
		if pw == "" && f.askPass {
			pw = o.Password
		}
		o.BecomePassword = pw
	}
	return o, nil
}

// splitTags accepts repeated and comma-separated tags.
func splitTags(values []string) []string {
	var out []string
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// readPassword reads a line from the terminal without echo.
func readPassword(io stdio, prompt string) (string, error) {
	fmt.Fprint(io.err, prompt)
	defer fmt.Fprintln(io.err)
	if f, ok := io.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		return string(b), nil
	}
	return readAnswer(io.in), nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
