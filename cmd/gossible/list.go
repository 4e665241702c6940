package main

import (
	"fmt"
	"io"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/playbook"
)

// listPlaybooks prints --list-hosts, --list-tasks and --list-tags as
// ansible-playbook does; the layout lives in playbook.FormatListing, which is
// checked byte for byte against ansible-playbook.
func listPlaybooks(w io.Writer, pbs []*playbook.Playbook, inv *inventory.Inventory, f *playbookFlags) error {
	opts := playbook.ListOptions{
		Tasks:    f.listTasks,
		Tags:     f.listTags,
		OnlyTags: splitTags(f.tags),
		SkipTags: splitTags(f.skipTags),
	}
	if f.listHosts {
		opts.Hosts = func(pattern string) ([]string, error) { return listHosts(inv, pattern, f.limit) }
	}
	for _, pb := range pbs {
		out, err := playbook.FormatListing(pb, opts)
		if err != nil {
			return fail(err)
		}
		fmt.Fprint(w, out)
	}
	return nil
}

// listHosts is the play's pattern intersected with --limit, in inventory order.
func listHosts(inv *inventory.Inventory, pattern, limit string) ([]string, error) {
	hosts, err := inv.Select(pattern)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	if limit != "" {
		lim, err := inv.Select(limit)
		if err != nil {
			return nil, err
		}
		for _, h := range lim {
			keep[h.Name] = true
		}
	}
	var out []string
	for _, h := range hosts {
		if limit == "" || keep[h.Name] {
			out = append(out, h.Name)
		}
	}
	return out, nil
}
