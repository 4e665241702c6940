package cli

import (
	"fmt"

	"github.com/hashicorp/consul/api"
)

const kvDeleteUsage = `
Usage: consul kv delete [options] KEY_OR_PREFIX

  Removes the value from Consul's key-value store at the given path.
`

func runKVDelete(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "kv delete", kvDeleteUsage)
	h.register(fs, env)
	cas := fs.Bool("cas", false, "Perform a Check-And-Set operation (requires -modify-index).")
	modIdx := fs.Uint64("modify-index", 0, "Unsigned integer representing the ModifyIndex of the key, used with -cas.")
	recurse := fs.Bool("recurse", false, "Recursively delete all keys with the path.")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	key, ok := oneKey(env, fs.Args(), *recurse)
	if !ok {
		return 1
	}
	if *cas && *recurse {
		fmt.Fprintln(env.Stderr, "Cannot specify both -cas and -recurse!")
		return 1
	}
	if *cas && !flagSet(fs, "modify-index") {
		fmt.Fprintln(env.Stderr, "Must specify -modify-index with -cas!")
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	kv := client.KV()
	switch {
	case *recurse:
		if _, err := kv.DeleteTree(key, nil); err != nil {
			fmt.Fprintf(env.Stderr, "Error! Did not delete prefix %s: %s\n", key, err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Deleted keys with prefix: %s\n", key)
	case *cas:
		ok, _, err := kv.DeleteCAS(&api.KVPair{Key: key, ModifyIndex: *modIdx}, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error! Did not delete key %s: %s\n", key, err)
			return 1
		}
		if !ok {
			fmt.Fprintf(env.Stderr, "Error! Did not delete key %s: CAS failed\n", key)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Deleted key: %s\n", key)
	default:
		if _, err := kv.Delete(key, nil); err != nil {
			fmt.Fprintf(env.Stderr, "Error deleting key %s: %s\n", key, err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Deleted key: %s\n", key)
	}
	return 0
}
