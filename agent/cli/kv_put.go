package cli

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/consul/api"
)

const kvPutUsage = `
Usage: consul kv put [options] KEY [DATA]

  Writes the data to the given path in the key-value store. DATA "-"
  reads standard input, "@path" reads a file.
`

func runKVPut(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "kv put", kvPutUsage)
	h.register(fs, env)
	acquire := fs.Bool("acquire", false, "Obtain a lock on the key (requires -session).")
	b64 := fs.Bool("base64", false, "Treat the data as base 64 encoded.")
	cas := fs.Bool("cas", false, "Perform a Check-And-Set operation (requires -modify-index).")
	flags := fs.Uint64("flags", 0, "Unsigned integer value to assign to this key-value pair.")
	modIdx := fs.Uint64("modify-index", 0, "Unsigned integer representing the ModifyIndex of the key, used with -cas.")
	release := fs.Bool("release", false, "Forfeit the lock on the key (requires -session).")
	session := fs.String("session", "", "User-defined identifier for this session as a string.")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprintln(env.Stderr, "Error! Missing KEY argument")
		return 1
	}
	if len(rest) > 2 {
		fmt.Fprintf(env.Stderr, "Too many arguments (expected 1 or 2, got %d)\n", len(rest))
		return 1
	}
	key, _ := oneKey(env, rest[:1], false)
	if key == "" {
		fmt.Fprintln(env.Stderr, "Error! Missing KEY argument")
		return 1
	}
	data, err := putData(env, rest[1:], *b64)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Error! %v\n", err)
		return 1
	}
	if (*acquire || *release) && *session == "" {
		fmt.Fprintln(env.Stderr, "Error! Missing -session (required with -acquire and -release)")
		return 1
	}
	if *cas && *modIdx == 0 && !flagSet(fs, "modify-index") {
		fmt.Fprintln(env.Stderr, "Must specify -modify-index with -cas!")
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	pair := &api.KVPair{Key: key, Value: data, Flags: *flags, ModifyIndex: *modIdx, Session: *session}
	kv := client.KV()
	switch {
	case *cas:
		ok, _, err := kv.CAS(pair, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error! Did not write to %s: %s\n", key, err)
			return 1
		}
		if !ok {
			fmt.Fprintf(env.Stderr, "Error! Did not write to %s: CAS failed\n", key)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Data written to: %s\n", key)
	case *acquire:
		ok, _, err := kv.Acquire(pair, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error! Failed writing data: %s\n", err)
			return 1
		}
		if !ok {
			fmt.Fprintln(env.Stderr, "Error! Did not acquire lock")
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Lock acquired on: %s\n", key)
	case *release:
		ok, _, err := kv.Release(pair, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error! Failed writing data: %s\n", err)
			return 1
		}
		if !ok {
			fmt.Fprintln(env.Stderr, "Error! Did not release lock")
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Lock released on: %s\n", key)
	default:
		if _, err := kv.Put(pair, nil); err != nil {
			fmt.Fprintf(env.Stderr, "Error! Failed writing data: %s\n", err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Success! Data written to: %s\n", key)
	}
	return 0
}

// putData reads DATA: literal, "-" for stdin, "@file" for a file.
func putData(env *Env, args []string, b64 bool) ([]byte, error) {
	if len(args) == 0 {
		return nil, nil
	}
	arg := args[0]
	var data []byte
	switch {
	case arg == "-":
		b, err := io.ReadAll(env.Stdin)
		if err != nil {
			return nil, fmt.Errorf("failed to read stdin: %w", err)
		}
		data = b
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, fmt.Errorf("failed to read file: %w", err)
		}
		data = b
	default:
		data = []byte(arg)
	}
	if b64 {
		d, err := base64.StdEncoding.DecodeString(string(data))
		if err != nil {
			return nil, fmt.Errorf("cannot base 64 decode data: %w", err)
		}
		data = d
	}
	return data, nil
}
