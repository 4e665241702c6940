package main

import (
	"errors"
	"fmt"
	"github.com/gossible/gossible/internal/shellquote"
	"golang.org/x/term"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gossible/gossible/lab"
	"github.com/spf13/cobra"
)

func init() { subcommands = append(subcommands, newLabCmd) }

// labFlags are shared by every `gossible lab` subcommand.
type labFlags struct {
	prefix, subnet, repo string
	hosts                int
}

func (f *labFlags) options(cmd *cobra.Command) (lab.Options, error) {
	repo := f.repo
	if repo == "" {
		wd, err := os.Getwd()
		if err != nil {
			return lab.Options{}, fmt.Errorf("lab: working directory: %w", err)
		}
		repo = wd
	}
	o := lab.Options{Prefix: f.prefix, Subnet: f.subnet, Hosts: f.hosts, RepoDir: repo,
		Log: cmd.ErrOrStderr(), Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
	// The controller runs this very binary: build it static (make build).
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			o.Binary = exe
		}
	}
	return o, nil
}

// newLabCmd is `gossible lab`: the book's three hosts plus a controller as
// containers on an internal Docker network.
func newLabCmd() *cobra.Command {
	f := &labFlags{}
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "Run the book's serv-disc-01..03 hosts and a controller as local containers",
		Long: `gossible lab runs the chapter's hosts serv-disc-01..03 (10.100.194.201-203)
and a controller "cd" (10.100.194.200) as containers on an internal Docker
network (no route off the machine). The controller mounts the repository
(the current directory, or --repo) read-only at ` + lab.RepoMount + ` and runs this
gossible binary, so build it static first (make build). Needs Docker; building
the host image once needs root and debootstrap.`,
		SilenceUsage: true,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.prefix, "prefix", lab.DefaultPrefix, "name prefix of the lab's containers and network")
	pf.StringVar(&f.subnet, "subnet", lab.DefaultSubnet, "the lab network's IPv4 /24")
	pf.IntVar(&f.hosts, "hosts", lab.DefaultHosts, "number of hosts (up only)")
	pf.StringVar(&f.repo, "repo", "", "repository to mount in the controller (default: current directory)")
	cmd.AddCommand(labImageCmd(), labUpCmd(f), labRunCmd(f), labSSHCmd(f), labExecCmd(f),
		labStatusCmd(f), labDownCmd(f), labDemoCmd(f))
	return cmd
}

func labImageCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "image",
		Short: "Build the test-host image if missing and print its tag",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			image, _, err := lab.EnsureImage(cmd.Context(), lab.ImageOptions{Log: cmd.ErrOrStderr()})
			if err != nil {
				return labFail(err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), image)
			return nil
		},
	}
}

func labUpCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "up",
		Short: "Build the image if missing and start the hosts and the controller",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := upLab(cmd, f)
			if err != nil {
				return err
			}
			printHosts(cmd, c)
			return nil
		},
	}
}

func labRunCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "run [-- GOSSIBLE-ARGS...]",
		Short: "Run gossible in the controller, in the repository (default: " + strings.Join(lab.DefaultRunArgs, " ") + ")",
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openLab(cmd, f)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = lab.DefaultRunArgs
			}
			return labFail(c.Run(cmd.Context(), append([]string{"gossible"}, args...)...))
		},
	}
}

func labSSHCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "ssh HOST [-- COMMAND [ARG...]]",
		Short: "SSH from the controller to HOST (name or IP) as vagrant, host keys checked",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openLab(cmd, f)
			if err != nil {
				return err
			}
			h, ok := c.Host(args[0])
			if !ok || h == *c.Controller {
				return labFail(fmt.Errorf("no host %q in the lab (hint: gossible lab status)", args[0]))
			}
			eo := interactive(cmd)
			// One word is a shell command line, as with ssh; several words are
			// an argv, quoted so the remote shell sees each word as typed
			// (ssh itself would re-split "this is a test").
			command := args[1:]
			if len(command) > 1 {
				command = []string{shellquote.Join(command...)}
			}
			sshArgs := c.SSHArgs(h, command...)
			if eo.TTY {
				sshArgs = append(sshArgs[:1], append([]string{"-t"}, sshArgs[1:]...)...)
			}
			return labFail(c.Exec(cmd.Context(), c.Controller.Container, eo, sshArgs...))
		},
	}
}

func labExecCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "exec HOST -- COMMAND...",
		Short: "Run COMMAND as root directly in a host's container (no SSH)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := openLab(cmd, f)
			if err != nil {
				return err
			}
			h, ok := c.Host(args[0])
			if !ok {
				return labFail(fmt.Errorf("no host %q in the lab (hint: gossible lab status)", args[0]))
			}
			return labFail(c.Exec(cmd.Context(), h.Container, interactive(cmd), args[1:]...))
		},
	}
}

func labStatusCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "List the lab's containers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return labFail(err)
			}
			sts, err := lab.Status(cmd.Context(), o)
			if err != nil {
				return labFail(err)
			}
			if len(sts) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "lab is down")
				return nil
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "HOST\tIP\tROLE\tSTATE\tCONTAINER")
			for _, s := range sts {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Hostname, s.IP, s.Role, s.State, s.Container)
			}
			return tw.Flush()
		},
	}
}

func labDownCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "down",
		Short: "Remove the lab's containers, network and key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := f.options(cmd)
			if err != nil {
				return labFail(err)
			}
			return labFail(lab.Down(cmd.Context(), o))
		},
	}
}

func labDemoCmd(f *labFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Up, run consul.yml, then show `consul members` and the chapter's KV session",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := upLab(cmd, f)
			if err != nil {
				return err
			}
			return labFail(c.Demo(cmd.Context(), cmd.OutOrStdout()))
		},
	}
}

// upLab starts the lab the flags describe, building the image if missing.
func upLab(cmd *cobra.Command, f *labFlags) (*lab.Cluster, error) {
	o, err := f.options(cmd)
	if err != nil {
		return nil, labFail(err)
	}
	c, err := lab.Up(cmd.Context(), o)
	if err != nil {
		return nil, labFail(err)
	}
	return c, nil
}

func openLab(cmd *cobra.Command, f *labFlags) (*lab.Cluster, error) {
	o, err := f.options(cmd)
	if err != nil {
		return nil, labFail(err)
	}
	c, err := lab.Open(cmd.Context(), o)
	if err != nil {
		return nil, labFail(err)
	}
	if c.Controller == nil {
		return nil, labFail(errors.New("lab has no controller (hint: gossible lab down, then up)"))
	}
	return c, nil
}

// interactive passes the terminal through when stdin is one.
func interactive(cmd *cobra.Command) lab.ExecOptions {
	eo := lab.ExecOptions{Stdin: cmd.InOrStdin(), Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}
	// A terminal on both ends, not just any character device: /dev/null is
	// one too, and `docker exec -t` refuses it.
	in, inOK := eo.Stdin.(*os.File)
	out, outOK := eo.Stdout.(*os.File)
	eo.TTY = inOK && outOK && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd()))
	return eo
}

func printHosts(cmd *cobra.Command, c *lab.Cluster) {
	w := cmd.OutOrStdout()
	for _, h := range c.Hosts {
		fmt.Fprintf(w, "%s\t%s\n", h.Name, h.IP)
	}
	if c.Controller != nil {
		fmt.Fprintf(w, "%s\t%s\t(controller: gossible lab run)\n", c.Controller.Name, c.Controller.IP)
	}
}

// labFail maps lab errors to exit codes: a command that ran in a container
// and failed passes its own status through, everything else is 1.
func labFail(err error) error {
	if err == nil {
		return nil
	}
	var ee *lab.ExitError
	if errors.As(err, &ee) {
		msg := "" // streamed commands have shown their stderr already
		if ee.Stderr != "" {
			msg = "ERROR! lab: " + err.Error()
		}
		return &exitError{code: ee.Code, msg: msg}
	}
	return &exitError{code: exitGeneric, msg: "ERROR! lab: " + err.Error()}
}
