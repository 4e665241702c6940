package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// The chapter's role runs `consul join` right after starting the agent in the
// background; join must wait for the local agent to listen rather than fail.
func TestJoinWaitsForStartingAgent(t *testing.T) {
	server := startCLIAgent(t, "-server", "-bootstrap")
	next := fmt.Sprintf("127.%d.1.%d", 20+os.Getpid()%200, ipN+1) // the address startCLIAgent uses next
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errb := run("join", "-http-addr=http://"+next+":8500", server.ip)
		done <- result{code, out, errb}
	}()
	client := startCLIAgent(t)
	if client.ip != next {
		t.Fatalf("client agent at %s, join aimed at %s", client.ip, next)
	}
	select {
	case r := <-done:
		if r.code != 0 || !strings.Contains(r.out, "Successfully joined cluster by contacting 1 nodes.") {
			t.Fatalf("join: exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
		}
	case <-time.After(agentStartWait + 5*time.Second):
		t.Fatal("join did not return")
	}
}
