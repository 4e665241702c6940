// Package cli is the `consul` command line: one file per subcommand, each
// a thin layer over the agent package (agent) or its HTTP API (the rest,
// through HashiCorp's api client). Run returns the process exit code.
package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand.
type command struct {
	synopsis string
	run      func(env *Env, args []string) int
}

// Env is what a command may touch; tests swap the streams and signals.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (CONSUL_HTTP_ADDR).
	Getenv func(string) string
	// Signals, when not nil, delivers signals to the agent command.
	Signals chan os.Signal
}

func commands() map[string]command {
	return map[string]command{
		"agent":   {"Runs a Consul agent", runAgent},
		"join":    {"Tell Consul agent to join cluster", runJoin},
		"members": {"Lists the members of a Consul cluster", runMembers},
		"leave":   {"Gracefully leaves the Consul cluster and shuts down", runLeave},
		"kv":      {"Interact with the key-value store", runKV},
		"info":    {"Provides debugging information for operators.", runInfo},
		"version": {"Prints the Consul version", runVersion},
	}
}

// Run runs the command line args (without the program name).
func Run(env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(env.Stderr, cmds)
		return 1
	}
	if args[0] == "-v" || args[0] == "-version" || args[0] == "--version" {
		return runVersion(env, nil)
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "Unknown command: %q\n\n", args[0])
		usage(env.Stderr, cmds)
		return 1
	}
	return c.run(env, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "Usage: consul [--version] [--help] <command> [<args>]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Available commands are:")
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "    %-10s %s\n", n, cmds[n].synopsis)
	}
}

// newFlagSet returns a flag set that reports errors with the command's
// usage on stderr; the caller returns 1 when Parse fails.
func newFlagSet(env *Env, name, usageText string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, strings.TrimSpace(usageText))
		fmt.Fprintln(env.Stderr)
		fmt.Fprintln(env.Stderr, "Command Options:")
		fs.PrintDefaults()
	}
	return fs
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}
