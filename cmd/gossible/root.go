package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// subcommands are added by each subcommand's file in init().
var subcommands []func() *cobra.Command

// stdio are the streams a run uses (tests pass buffers).
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// run parses args, runs the command and returns the process exit code.
func run(ctx context.Context, args []string, io stdio) (code int) {
	defer func() {
		// Never a Go stack trace: a bug is reported as Ansible reports one.
		if p := recover(); p != nil {
			fmt.Fprintf(io.err, "ERROR! Unexpected Exception, this is probably a bug: %v\n", p)
			code = exitUnexpected
		}
	}()
	root := newRootCmd(ctx, io)
	for _, sub := range subcommands {
		root.AddCommand(sub())
	}
	usageErrors(root)
	root.SetArgs(args)
	root.SetIn(io.in)
	root.SetOut(io.out)
	root.SetErr(io.err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		// Flag parsing and argument errors: a usage error, as argparse's.
		fmt.Fprintf(io.err, "usage: %s\ngossible: error: %v\n", ue.cmd.UseLine(), ue.err)
		return exitUsage
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = fail(err).(*exitError)
	}
	if ee.msg != "" {
		fmt.Fprintln(io.err, ee.msg)
	}
	return ee.code
}

// usageError is a bad flag or argument.
type usageError struct {
	cmd *cobra.Command
	err error
}

func (e *usageError) Error() string { return e.err.Error() }

// usageErrors makes cobra report flag and argument errors as usageError,
// on the command and every subcommand.
func usageErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return &usageError{cmd: c, err: err} })
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				return &usageError{cmd: c, err: err}
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		usageErrors(sub)
	}
}

// newRootCmd is `gossible [flags] PLAYBOOK...`.
func newRootCmd(ctx context.Context, io stdio) *cobra.Command {
	f := &playbookFlags{}
	cmd := &cobra.Command{
		Use:           "gossible [flags] PLAYBOOK...",
		Short:         "Run Ansible playbooks, executing the defined tasks on the targeted hosts.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.version {
				return nil
			}
			if len(args) == 0 {
				return errors.New("the following arguments are required: playbook")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.version {
				printVersion(io.out, os.Getenv)
				return nil
			}
			f.markSet(cmd)
			if name := f.unsupportedFlag(cmd); name != "" {
				return optionsError(fmt.Sprintf("the --%s option is not supported by gossible", name))
			}
			return runPlaybooks(cmd.Context(), f, args, io)
		},
	}
	f.register(cmd)
	cmd.SetContext(ctx)
	return cmd
}
