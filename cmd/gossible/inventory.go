package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gossible/gossible/inventory"
)

func init() { subcommands = append(subcommands, newInventoryCmd) }

// newInventoryCmd is ansible-inventory: --list, --graph [GROUP], --host H.
func newInventoryCmd() *cobra.Command {
	var (
		sources     []string
		list        bool
		graph       bool
		host        string
		playbookDir string
		// vault sources, as ansible-inventory's (vaulted sources and
		// group_vars/host_vars files)
		vf = &playbookFlags{}
	)
	cmd := &cobra.Command{
		Use:           "inventory [-i SOURCE]... (--list | --graph [GROUP] | --host HOST)",
		Short:         "Show the inventory as Ansible sees it (ansible-inventory)",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			for _, b := range []bool{list, graph, host != ""} {
				if b {
					n++
				}
			}
			if n != 1 {
				return &exitError{code: exitBadOptions, msg: "ERROR! No action selected, at least one of --host, --graph or --list needs to be specified."}
			}
			if len(args) > 0 && !graph {
				return &exitError{code: exitBadOptions, msg: "ERROR! Pattern must be valid group name when using --graph"}
			}
			cfg, err := loadConfig()
			if err != nil {
				return optionsError(err.Error())
			}
			if len(sources) == 0 {
				sources = cfg.Inventory
			}
			vf.markSet(cmd)
			if vf.vaultConflict {
				return &usageError{cmd: cmd, err: errors.New("argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass")}
			}
			disp := newDisplay(cfg, stdio{in: cmd.InOrStdin(), out: cmd.OutOrStdout(), err: cmd.ErrOrStderr()})
			secrets, err := loadVaultSecrets(cfg, vf, disp)
			if err != nil {
				return fail(err)
			}
			// A group_vars/host_vars file that cannot be read fails --list
			// and --host for the hosts it is for, not --graph, as in
			// ansible-inventory.
			inv, err := inventory.LoadWith(sources, inventory.LoadOptions{Secrets: secrets})
			if err != nil {
				var pe *inventory.ParseError
				if inv == nil || !errors.As(err, &pe) {
					return fail(err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "[WARNING]: %s\n", pe.Error())
			}
			if playbookDir != "" {
				inv.AddVarsDir(playbookDir)
			}
			out := cmd.OutOrStdout()
			switch {
			case list:
				b, err := inv.ListJSON()
				if err != nil {
					return fail(err)
				}
				fmt.Fprint(out, string(b)) // b ends with its newline
			case host != "":
				b, err := inv.HostJSON(host)
				if err != nil {
					return fail(err)
				}
				fmt.Fprint(out, string(b)) // b ends with its newline
			default:
				group := "all"
				if len(args) > 0 {
					group = args[0]
				}
				if _, ok := inv.Groups()[group]; !ok {
					return fail(fmt.Errorf("Pattern must be valid group name when using --graph"))
				}
				fmt.Fprint(out, inv.Graph(group))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&sources, "inventory", "i", nil, "specify inventory host path or comma separated host list")
	fl.BoolVar(&list, "list", false, "output all hosts info, works as inventory script")
	fl.BoolVar(&graph, "graph", false, "create inventory graph, if supplying pattern it must be a valid group name")
	fl.StringVar(&host, "host", "", "output specific host info, works as inventory script")
	fl.StringVar(&playbookDir, "playbook-dir", "", "sets the relative path for many features including group_vars/ and host_vars/")
	vf.registerVault(cmd)
	return cmd
}
