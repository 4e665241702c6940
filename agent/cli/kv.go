package cli

import (
	"fmt"
	"strings"
)

const kvUsage = `
Usage: consul kv <subcommand> [options] [args]

  This command has subcommands for interacting with Consul's key-value
  store: get, put, delete.
`

func runKV(env *Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, strings.TrimSpace(kvUsage))
		return 1
	}
	switch args[0] {
	case "get":
		return runKVGet(env, args[1:])
	case "put":
		return runKVPut(env, args[1:])
	case "delete":
		return runKVDelete(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "Unknown kv subcommand %q (want get, put or delete)\n\n", args[0])
	fmt.Fprintln(env.Stderr, strings.TrimSpace(kvUsage))
	return 1
}

// oneKey returns the single KEY argument; keyless is allowed for
// prefix operations.
func oneKey(env *Env, args []string, keyless bool) (string, bool) {
	switch {
	case len(args) > 1:
		fmt.Fprintf(env.Stderr, "Too many arguments (expected 1, got %d)\n", len(args))
		return "", false
	case len(args) == 0 && !keyless:
		fmt.Fprintln(env.Stderr, "Error! Missing KEY argument")
		return "", false
	case len(args) == 0:
		return "", true
	}
	key := args[0]
	if strings.HasPrefix(key, "/") {
		// The API client refuses a leading slash; Consul's CLI strips it.
		key = key[1:]
	}
	return key, true
}
