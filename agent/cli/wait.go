package cli

import (
	"errors"
	"syscall"
	"time"

	"github.com/hashicorp/consul/api"
)

// agentStartWait bounds how long join waits for a local agent that is still
// starting. The chapter's role starts the agent with `nohup ... &` and runs
// `consul join` as the next task: with a fast provisioner that comes before
// the agent listens, so join gives the agent a moment instead of failing.
const agentStartWait = 15 * time.Second

// waitForAgent retries while the agent's HTTP address refuses connections,
// up to max; any other answer or error ends the wait at once.
func waitForAgent(c *api.Client, max time.Duration) {
	deadline := time.Now().Add(max)
	for {
		_, err := c.Agent().Self()
		if err == nil || !errors.Is(err, syscall.ECONNREFUSED) || time.Now().After(deadline) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
