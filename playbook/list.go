package playbook

import (
	"fmt"
	"sort"
	"strings"
)

// ListOptions are ansible-playbook's listing flags.
type ListOptions struct {
	// Hosts, when set, is --list-hosts: it returns the hosts a play's
	// pattern selects (with --limit applied), in the order to print.
	Hosts    func(pattern string) ([]string, error)
	Tasks    bool     // --list-tasks
	Tags     bool     // --list-tags
	OnlyTags []string // --tags; empty means "all"
	SkipTags []string // --skip-tags
}

// PlayListing is one play as --list-tasks sees it.
type PlayListing struct {
	Number int    // 1-based
	Hosts  string // the host pattern
	Name   string // the play's display name
	Tags   []string
	Tasks  []TaskListing // tasks selected by the tags, in run order
}

// TaskListing is one selected task with its effective tags (its own, its
// blocks', its roles' and the play's), sorted.
type TaskListing struct {
	Name string // "role : name", the name, or the module for unnamed tasks
	Tags []string
	Task *Task
}

// Listing walks the plays as ansible-playbook --list-tasks does: pre_tasks,
// roles (dependencies first), tasks, post_tasks; only the block: part of
// blocks; handlers are not listed. Tasks the tags do not select are left out.
func Listing(pb *Playbook, only, skip []string) []PlayListing {
	var out []PlayListing
	for i, p := range pb.Plays {
		pl := PlayListing{Number: i + 1, Hosts: p.Hosts, Name: p.DisplayName(), Tags: dedup(p.Tags)}
		add := func(t *Task, tags []string) {
			if !ShouldRun(tags, only, skip) {
				return
			}
			pl.Tasks = append(pl.Tasks, TaskListing{Name: listName(t), Tags: sortedUnique(tags), Task: t})
		}
		walkTasks(p.PreTasks, p.Tags, add)
		for _, r := range p.Roles {
			walkRole(r, p.Tags, add)
		}
		walkTasks(p.Tasks, p.Tags, add)
		walkTasks(p.PostTasks, p.Tags, add)
		out = append(out, pl)
	}
	return out
}

func walkRole(ref *RoleRef, inherited []string, add func(*Task, []string)) {
	tags := concat(inherited, ref.Tags)
	for _, dep := range ref.Role.Deps {
		walkRole(dep, tags, add)
	}
	walkTasks(ref.Role.Tasks, tags, add)
}

func walkTasks(ts []*Task, inherited []string, add func(*Task, []string)) {
	for _, t := range ts {
		tags := concat(inherited, t.Tags)
		if t.IsBlock() {
			walkTasks(t.Block, tags, add)
			continue
		}
		add(t, tags)
	}
}

// listName is how --list-tasks names a task.
func listName(t *Task) string {
	switch {
	case t.Name == "":
		return t.Module
	case t.Role != nil:
		return t.Role.Name + " : " + t.Name
	}
	return t.Name
}

// FormatListing renders what ansible-playbook 2.14 prints for --list-hosts,
// --list-tasks and --list-tags (play tags keep their written order, where
// Ansible prints them in Python set order). Only opts.Hosts can fail.
func FormatListing(pb *Playbook, opts ListOptions) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nplaybook: %s\n", pb.Path)
	for i, pl := range Listing(pb, opts.OnlyTags, opts.SkipTags) {
		fmt.Fprintf(&b, "\n  play #%d (%s): %s\tTAGS: [%s]\n", pl.Number, pl.Hosts, pl.Name, strings.Join(pl.Tags, ","))
		if opts.Hosts != nil {
			hs, err := opts.Hosts(pl.Hosts)
			if err != nil {
				return "", fmt.Errorf("list hosts of play #%d: %w", pl.Number, err)
			}
			fmt.Fprintf(&b, "    pattern: %s\n    hosts (%d):\n", pyList(pb.Plays[i].HostPatterns), len(hs))
			for _, h := range hs {
				fmt.Fprintf(&b, "      %s\n", h)
			}
		}
		if !opts.Tasks && !opts.Tags {
			continue
		}
		if opts.Tasks {
			b.WriteString("    tasks:\n")
		}
		all := append([]string(nil), pl.Tags...)
		for _, t := range pl.Tasks {
			all = append(all, t.Tags...)
			if opts.Tasks {
				fmt.Fprintf(&b, "      %s\tTAGS: [%s]\n", t.Name, strings.Join(t.Tags, ", "))
			}
		}
		if opts.Tags {
			fmt.Fprintf(&b, "      TASK TAGS: [%s]\n", strings.Join(sortedUnique(all), ", "))
		}
	}
	return b.String(), nil
}

// pyList prints strings as Python prints a list of them.
func pyList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = "'" + strings.ReplaceAll(x, "'", `\'`) + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ShouldRun reports whether a task with these effective tags runs under
// --tags only and --skip-tags skip, as Ansible's evaluate_tags decides:
// "always" runs unless skipped explicitly, "never" only when asked for by
// name, "tagged"/"untagged"/"all" are the special selectors. Empty only
// means "all" (the command-line default).
func ShouldRun(tags, only, skip []string) bool {
	have := set(tags...)
	if len(have) == 0 {
		have = set("untagged")
	}
	untagged := len(have) == 1 && have["untagged"]
	if len(only) == 0 {
		only = []string{"all"}
	}
	want := set(only...)
	run := false
	switch {
	case have["always"]:
		run = true
	case want["all"] && !have["never"]:
		run = true
	case intersects(have, want):
		run = true
	case want["tagged"] && !untagged && !have["never"]:
		run = true
	}
	if !run || len(skip) == 0 {
		return run
	}
	skipped := set(skip...)
	switch {
	case skipped["all"]:
		return have["always"] && !skipped["always"]
	case intersects(have, skipped):
		return false
	case skipped["tagged"] && !untagged:
		return false
	}
	return true
}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

func concat(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func sortedUnique(s []string) []string {
	out := dedup(s)
	sort.Strings(out)
	return out
}

// ListTasks is FormatListing for --list-tasks with --tags only and
// --skip-tags skip.
func ListTasks(pb *Playbook, only, skip []string) string {
	s, _ := FormatListing(pb, ListOptions{Tasks: true, OnlyTags: only, SkipTags: skip})
	return s
}

// ListTags is FormatListing for --list-tags with --tags only and
// --skip-tags skip.
func ListTags(pb *Playbook, only, skip []string) string {
	s, _ := FormatListing(pb, ListOptions{Tags: true, OnlyTags: only, SkipTags: skip})
	return s
}
