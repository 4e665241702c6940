package cli

import "fmt"

const leaveUsage = `
Usage: consul leave [options]

  Causes the agent to gracefully leave the Consul cluster and shutdown.
`

func runLeave(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "leave", leaveUsage)
	h.register(fs, env)
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "Error parsing flags: too many arguments %v\n", fs.Args())
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	if err := client.Agent().Leave(); err != nil {
		fmt.Fprintf(env.Stderr, "Error leaving: %s\n", err)
		return 1
	}
	fmt.Fprintln(env.Stdout, "Graceful leave complete")
	return 0
}
