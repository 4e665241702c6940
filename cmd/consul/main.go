// Command consul is the bundled Consul-compatible registry agent and its
// client commands; all the work is in the agent and agent/cli packages.
package main

import (
	"os"

	"github.com/gossible/gossible/agent/cli"
)

func main() {
	os.Exit(cli.Run(&cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:]))
}
