package cli

import (
	"fmt"

	"github.com/gossible/gossible/agent"
)

func runVersion(env *Env, _ []string) int {
	fmt.Fprintf(env.Stdout, "Consul v%s\n", agent.Version)
	fmt.Fprintf(env.Stdout, "Revision %s\n", agent.Revision)
	fmt.Fprintln(env.Stdout, "Protocol 2 spoken by default, understands 2 to 3 (agent will automatically use protocol >2 when speaking to compatible agents)")
	return 0
}
