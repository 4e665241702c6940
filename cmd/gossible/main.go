// Command gossible runs Ansible playbooks: `gossible [flags] PLAYBOOK...`
// takes ansible-playbook's flags and exit codes; `gossible inventory` is
// ansible-inventory.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
