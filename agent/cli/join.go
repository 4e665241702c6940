package cli

import "fmt"

const joinUsage = `
Usage: consul join [options] address ...

  Tells a running Consul agent (with "consul agent") to join the cluster
  by specifying at least one existing member.
`

func runJoin(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "join", joinUsage)
	h.register(fs, env)
	wan := fs.Bool("wan", false, "Joins a server to another server in the WAN pool (not supported).")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	addrs := fs.Args()
	if len(addrs) == 0 {
		fmt.Fprintln(env.Stderr, "At least one address to join must be specified.")
		fmt.Fprintln(env.Stderr)
		fs.Usage()
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	waitForAgent(client, agentStartWait)
	joined := 0
	for _, addr := range addrs {
		if err := client.Agent().Join(addr, *wan); err != nil {
			fmt.Fprintf(env.Stderr, "Error joining address '%s': %s\n", addr, err)
			continue
		}
		joined++
	}
	if joined == 0 {
		fmt.Fprintln(env.Stderr, "Failed to join any nodes.")
		return 1
	}
	fmt.Fprintf(env.Stdout, "Successfully joined cluster by contacting %d nodes.\n", joined)
	return 0
}
