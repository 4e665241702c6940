package e2e

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// counts is one host's line of the PLAY RECAP.
type counts struct {
	OK, Changed, Unreachable, Failed, Skipped, Rescued, Ignored int
}

func (c counts) String() string {
	return fmt.Sprintf("ok=%d changed=%d unreachable=%d failed=%d skipped=%d rescued=%d ignored=%d",
		c.OK, c.Changed, c.Unreachable, c.Failed, c.Skipped, c.Rescued, c.Ignored)
}

// playOutput is what the tests read from a playbook run's output in
// Ansible's default layout: the recap per host and, per task name, each
// host's result lines (one per loop item).
type playOutput struct {
	Recap map[string]counts
	Tasks map[string]map[string][]string // task -> host -> statuses
	Order []string                       // task names in first-seen order
}

var (
	ansiRE   = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	taskRE   = regexp.MustCompile(`^TASK \[(.+?)\] \*+$`)
	resultRE = regexp.MustCompile(`^(ok|changed|skipping|fatal|failed): \[([^\]]+)\]`)
	recapRE  = regexp.MustCompile(`^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)\s*$`)
)

// parseOutput reads a playbook run's stdout. A missing or empty recap is an
// error: every run the tests make must end with one.
func parseOutput(out string) (playOutput, error) {
	p := playOutput{Recap: map[string]counts{}, Tasks: map[string]map[string][]string{}}
	task, inRecap := "", false
	for _, line := range strings.Split(ansiRE.ReplaceAllString(out, ""), "\n") {
		line = strings.TrimRight(line, " \r")
		if strings.HasPrefix(line, "PLAY RECAP") {
			inRecap = true
			continue
		}
		if inRecap {
			m := recapRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			n := make([]int, 7)
			for i := range n {
				n[i], _ = strconv.Atoi(m[i+2])
			}
			p.Recap[m[1]] = counts{n[0], n[1], n[2], n[3], n[4], n[5], n[6]}
			continue
		}
		if m := taskRE.FindStringSubmatch(line); m != nil {
			task = m[1]
			if p.Tasks[task] == nil {
				p.Tasks[task] = map[string][]string{}
				p.Order = append(p.Order, task)
			}
			continue
		}
		if m := resultRE.FindStringSubmatch(line); m != nil && task != "" {
			p.Tasks[task][m[2]] = append(p.Tasks[task][m[2]], m[1])
		}
	}
	if len(p.Recap) == 0 {
		return p, fmt.Errorf("no PLAY RECAP with host lines in the output")
	}
	return p, nil
}

// recapString prints a recap in host order, for messages and comparisons.
func recapString(r map[string]counts) string {
	hosts := make([]string, 0, len(r))
	for h := range r {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	var b strings.Builder
	for _, h := range hosts {
		fmt.Fprintf(&b, "%s: %s\n", h, r[h])
	}
	return b.String()
}
