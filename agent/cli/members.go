package cli

import (
	"fmt"
	"io"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/consul/api"
)

const membersUsage = `
Usage: consul members [options]

  Outputs the members of a running Consul agent.
`

// memberStatus names serf's status numbers as Consul prints them.
func memberStatus(s int) string {
	switch s {
	case 0:
		return "none"
	case 1:
		return "alive"
	case 2:
		return "leaving"
	case 3:
		return "left"
	case 4:
		return "failed"
	}
	return "unknown"
}

func runMembers(env *Env, args []string) int {
	var h httpFlags
	fs := newFlagSet(env, "members", membersUsage)
	h.register(fs, env)
	detailed := fs.Bool("detailed", false, "Provides detailed information about nodes.")
	statusRe := fs.String("status", ".*", "If provided, output is filtered to only nodes matching the regular expression for status.")
	wan := fs.Bool("wan", false, "If specified, lists WAN members (not supported).")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	re, err := regexp.Compile(*statusRe)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Failed to compile status regexp: %v\n", err)
		return 1
	}
	client, err := h.client()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	members, err := client.Agent().Members(*wan)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Error retrieving members: %s\n", err)
		return 1
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })
	rows := [][]string{}
	if *detailed {
		rows = append(rows, []string{"Node", "Address", "Status", "Tags"})
	} else {
		rows = append(rows, []string{"Node", "Address", "Status", "Type", "Build", "Protocol", "DC"})
	}
	for _, m := range members {
		status := memberStatus(m.Status)
		if !re.MatchString(status) {
			continue
		}
		addr := net.JoinHostPort(m.Addr, strconv.Itoa(int(m.Port)))
		if *detailed {
			rows = append(rows, []string{m.Name, addr, status, tagString(m)})
			continue
		}
		typ := "client"
		if m.Tags["role"] == "consul" {
			typ = "server"
		}
		build, _, _ := strings.Cut(m.Tags["build"], ":")
		rows = append(rows, []string{m.Name, addr, status, typ, build, m.Tags["vsn"], m.Tags["dc"]})
	}
	if len(rows) == 1 {
		return 2 // Consul: no member matched the filter
	}
	columnize(env.Stdout, rows)
	return 0
}

func tagString(m *api.AgentMember) string {
	var keys []string
	for k := range m.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+m.Tags[k])
	}
	return strings.Join(parts, ",")
}

// columnize prints rows as left-aligned columns two spaces apart, the
// last column unpadded, as Consul's output does.
func columnize(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-len(c)+2))
		}
		fmt.Fprintln(w, b.String())
	}
}
