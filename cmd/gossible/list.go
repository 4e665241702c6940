package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/playbook"
)

// listPlaybooks prints --list-hosts, --list-tasks and --list-tags as
// ansible-playbook does.
func listPlaybooks(w io.Writer, pbs []*playbook.Playbook, inv *inventory.Inventory, f *playbookFlags) error {
	only, skip := splitTags(f.tags), splitTags(f.skipTags)
	if len(only) == 0 {
		only = []string{"all"}
	}
	for _, pb := range pbs {
		fmt.Fprintf(w, "\nplaybook: %s\n", pb.Path)
		for i, play := range pb.Plays {
			fmt.Fprintf(w, "\n  play #%d (%s): %s\tTAGS: [%s]\n", i+1, play.Hosts, play.DisplayName(), strings.Join(play.Tags, ","))
			if f.listHosts {
				hosts, err := inv.Select(play.Hosts)
				if err != nil {
					return fail(err)
				}
				if f.limit != "" {
					lim, err := inv.Select(f.limit)
					if err != nil {
						return fail(err)
					}
					keep := map[string]bool{}
					for _, h := range lim {
						keep[h.Name] = true
					}
					var out []*inventory.Host
					for _, h := range hosts {
						if keep[h.Name] {
							out = append(out, h)
						}
					}
					hosts = out
				}
				fmt.Fprintf(w, "    pattern: ['%s']\n    hosts (%d):\n", play.Hosts, len(hosts))
				for _, h := range hosts {
					fmt.Fprintf(w, "      %s\n", h.Name)
				}
			}
			tasks := collectTasks(play)
			if f.listTags {
				set := map[string]bool{}
				for _, t := range tasks {
					for _, tag := range t.tags {
						set[tag] = true
					}
				}
				var all []string
				for t := range set {
					all = append(all, t)
				}
				sort.Strings(all)
				fmt.Fprintf(w, "      TASK TAGS: [%s]\n", strings.Join(all, ", "))
			}
			if f.listTasks {
				fmt.Fprintf(w, "    tasks:\n")
				for _, t := range tasks {
					if !tagMatch(t.tags, only, skip) {
						continue
					}
					own := append([]string(nil), t.ownTags...)
					sort.Strings(own)
					fmt.Fprintf(w, "      %s\tTAGS: [%s]\n", t.name, strings.Join(own, ", "))
				}
			}
		}
	}
	return nil
}

type listedTask struct {
	name    string
	tags    []string
	ownTags []string
}

// collectTasks flattens a play's tasks (roles expanded) with their tags.
func collectTasks(play *playbook.Play) []listedTask {
	var out []listedTask
	var walk func(ts []*playbook.Task, role string, tags []string)
	walk = func(ts []*playbook.Task, role string, tags []string) {
		for _, t := range ts {
			all := append(append([]string{}, tags...), t.Tags...)
			if t.IsBlock() {
				walk(t.Block, role, all)
				walk(t.Rescue, role, all)
				walk(t.Always, role, all)
				continue
			}
			name := t.Name
			if name == "" {
				name = t.Module
			}
			if role != "" {
				name = role + " : " + name
			}
			out = append(out, listedTask{name: name, tags: all, ownTags: uniq(all)})
		}
	}
	var roles func(refs []*playbook.RoleRef, tags []string)
	seen := map[*playbook.Role]bool{}
	roles = func(refs []*playbook.RoleRef, tags []string) {
		for _, ref := range refs {
			if ref.Role == nil {
				continue
			}
			rt := append(append([]string{}, tags...), ref.Tags...)
			roles(ref.Role.Deps, rt)
			if seen[ref.Role] {
				continue
			}
			seen[ref.Role] = true
			walk(ref.Role.Tasks, ref.Role.Name, rt)
		}
	}
	walk(play.PreTasks, "", play.Tags)
	roles(play.Roles, play.Tags)
	walk(play.Tasks, "", play.Tags)
	walk(play.PostTasks, "", play.Tags)
	return out
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range s {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// tagMatch mirrors the executor's tag selection for listing.
func tagMatch(tags, only, skip []string) bool {
	set := map[string]bool{}
	for _, t := range tags {
		set[t] = true
	}
	if len(set) == 0 {
		set["untagged"] = true
	}
	in := func(l []string) bool {
		for _, t := range l {
			if set[t] {
				return true
			}
		}
		return false
	}
	has := func(l []string, s string) bool {
		for _, t := range l {
			if t == s {
				return true
			}
		}
		return false
	}
	run := set["always"] || (has(only, "all") && !set["never"]) || in(only) || (has(only, "tagged") && !set["untagged"] && !set["never"])
	if run && len(skip) > 0 && (in(skip) || (has(skip, "all") && (!set["always"] || has(skip, "always"))) || (has(skip, "tagged") && !set["untagged"])) {
		run = false
	}
	return run
}
