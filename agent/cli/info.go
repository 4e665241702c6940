package cli

import (
	"fmt"
	"sort"
)

const infoUsage = `
Usage: consul info [options]

  Provides debugging information for operators.
`

func runInfo(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "info", infoUsage)
	h.register(fs, env)
	if err := fs.Parse(args); err != nil {
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	self, err := client.Agent().Self()
	if err != nil {
		fmt.Fprintf(env.Stderr, "Error querying agent: %s\n", err)
		return 1
	}
	stats, ok := self["Stats"]
	if !ok {
		fmt.Fprintln(env.Stderr, "Agent response did not contain 'Stats' key")
		return 1
	}
	var sections []string
	for k := range stats {
		sections = append(sections, k)
	}
	sort.Strings(sections)
	for _, s := range sections {
		fmt.Fprintf(env.Stdout, "%s:\n", s)
		vals, _ := stats[s].(map[string]any)
		var keys []string
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(env.Stdout, "\t%s = %v\n", k, vals[k])
		}
	}
	return 0
}
