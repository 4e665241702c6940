package cli

import (
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/hashicorp/consul/api"
)

const kvGetUsage = `
Usage: consul kv get [options] [KEY_OR_PREFIX]

  Retrieves the value from Consul's key-value store at the given key name.
`

func runKVGet(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "kv get", kvGetUsage)
	h.register(fs, env)
	b64 := fs.Bool("base64", false, "Base64 encode the value.")
	detailed := fs.Bool("detailed", false, "Provide additional metadata about the key in addition to the value.")
	keys := fs.Bool("keys", false, "List keys which start with the given prefix, but not the data.")
	recurse := fs.Bool("recurse", false, "Recursively look at all keys prefixed with the given path.")
	sep := fs.String("separator", "/", "String to use as a separator between keys with -keys.")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	key, ok := oneKey(env, fs.Args(), *keys || *recurse)
	if !ok {
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	q := &api.QueryOptions{AllowStale: h.stale}
	kv := client.KV()
	switch {
	case *keys:
		list, _, err := kv.Keys(key, *sep, q)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error querying Consul agent: %s\n", err)
			return 1
		}
		for _, k := range list {
			fmt.Fprintln(env.Stdout, k)
		}
	case *recurse:
		pairs, _, err := kv.List(key, q)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error querying Consul agent: %s\n", err)
			return 1
		}
		for i, p := range pairs {
			if *detailed {
				if i > 0 {
					fmt.Fprintln(env.Stdout)
				}
				printPair(env.Stdout, p, *b64)
				continue
			}
			fmt.Fprintf(env.Stdout, "%s:%s\n", p.Key, value(p, *b64))
		}
	default:
		p, _, err := kv.Get(key, q)
		if err != nil {
			fmt.Fprintf(env.Stderr, "Error querying Consul agent: %s\n", err)
			return 1
		}
		if p == nil {
			fmt.Fprintf(env.Stderr, "Error! No key exists at: %s\n", key)
			return 1
		}
		if *detailed {
			printPair(env.Stdout, p, *b64)
			return 0
		}
		fmt.Fprintln(env.Stdout, value(p, *b64))
	}
	return 0
}

func value(p *api.KVPair, b64 bool) string {
	if b64 {
		return base64.StdEncoding.EncodeToString(p.Value)
	}
	return string(p.Value)
}

func printPair(w io.Writer, p *api.KVPair, b64 bool) {
	tw := tabwriter.NewWriter(w, 0, 2, 6, ' ', 0)
	session := p.Session
	if session == "" {
		session = "-"
	}
	for _, row := range [][2]string{
		{"CreateIndex", strconv.FormatUint(p.CreateIndex, 10)},
		{"Flags", strconv.FormatUint(p.Flags, 10)},
		{"Key", p.Key},
		{"LockIndex", strconv.FormatUint(p.LockIndex, 10)},
		{"ModifyIndex", strconv.FormatUint(p.ModifyIndex, 10)},
		{"Session", session},
		{"Value", value(p, b64)},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", row[0], row[1])
	}
	tw.Flush()
}
