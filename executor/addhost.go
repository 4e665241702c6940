package executor

import (
	"maps"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/modules"
	"github.com/gossible/gossible/playbook"
)

// add_host and group_by change the run's inventory. Their modules only
// read the arguments into a request (the result's add_host or add_group
// key); the main goroutine carries the request out when it shows the
// result (each loop item's before the item line), in host order, and sets
// "changed" by what was new, as Ansible's strategy does with these
// results. Hosts, groups, group_names and hostvars follow at once.

// invState is what a play's inventory changes keep between a loop's item
// lines and its final result.
type invState struct {
	// items are the changed values of the items already carried out, by host.
	items map[*hostState][]bool
	err   error // a fatal error met at an item line
}

// bypassHostLoop says the task runs once, for the first host, with a
// result of that host's only (not shared as run_once's is): add_host.
func bypassHostLoop(n *node) bool {
	return playbook.ShortAction(n.task.Module) == "add_host"
}

// freeBypassError is Ansible's refusal of add_host under the free strategy.
func freeBypassError(n *node) error {
	return fatalf("The '%s' module bypasses the host loop, which is currently not supported in the free strategy and would instead execute for every host in the inventory list.\n\n%s",
		n.task.Module, strings.TrimSuffix(positionDetails(n.task.Pos), "\n"))
}

// inventoryAction is the task's action when it changes the inventory.
func inventoryAction(n *node) string {
	switch playbook.ShortAction(n.task.Module) {
	case "add_host":
		return modules.AddHostKey
	case "group_by":
		return modules.GroupByKey
	}
	return ""
}

func (pc *playCtx) invState() *invState {
	if pc.inv == nil {
		pc.inv = &invState{items: map[*hostState][]bool{}}
	}
	return pc.inv
}

// inventoryItem carries out a loop item's request before its line is shown.
func (r *runner) inventoryItem(pc *playCtx, n *node, ev event) {
	key := inventoryAction(n)
	if key == "" || ev.hr == nil || ev.hr.Result[key] == nil || !applies(ev.hr.Status) {
		return
	}
	st := pc.invState()
	if st.err != nil {
		return
	}
	changed, err := r.changeInventory(pc, ev.hs, key, ev.hr.Result)
	if err != nil {
		st.err = err
		return
	}
	st.items[ev.hs] = append(st.items[ev.hs], changed)
	if len(n.task.ChangedWhen) == 0 {
		ev.hr.Result["changed"] = changed
		ev.hr.Status = statusOf(ev.hr.Result)
	}
}

// inventoryResult carries out the requests of a host's result (those of
// its loop items not shown yet) before it is counted and shown.
func (r *runner) inventoryResult(pc *playCtx, n *node, out *hostOutcome) error {
	key := inventoryAction(n)
	if key == "" || out.result == nil {
		return nil
	}
	st := pc.invState()
	done := st.items[out.hs]
	delete(st.items, out.hs)
	if err := st.err; err != nil {
		st.err = nil
		return err
	}
	keep := len(n.task.ChangedWhen) > 0
	if !out.loop {
		if out.result[key] == nil || !applies(out.status) {
			return nil
		}
		changed, err := r.changeInventory(pc, out.hs, key, out.result)
		if err != nil {
			return err
		}
		if !keep {
			out.result["changed"] = changed
		}
	} else {
		items, _ := out.result["results"].([]any)
		anyChanged := false
		for _, it := range items {
			res, _ := it.(map[string]any)
			if res == nil || res[key] == nil || !applies(statusOf(res)) {
				continue
			}
			var changed bool
			if len(done) > 0 {
				changed, done = done[0], done[1:]
			} else {
				var err error
				if changed, err = r.changeInventory(pc, out.hs, key, res); err != nil {
					return err
				}
			}
			if !keep {
				res["changed"] = changed
			}
			if c, _ := res["changed"].(bool); c {
				anyChanged = true
			}
		}
		if !keep {
			out.result["changed"] = anyChanged
		}
	}
	if s := statusOf(out.result); out.status == StatusOK || out.status == StatusChanged {
		out.status = s
		out.notify = s == StatusChanged
	}
	return nil
}

// actionRaised says the result is a failure an action plugin raised,
// which Ansible's task executor returns without _ansible_no_log.
func actionRaised(res map[string]any) bool {
	s, _ := res["exception"].(string)
	return s == modules.ActionFailException
}

func applies(s Status) bool { return s == StatusOK || s == StatusChanged }

// changeInventory carries out one request for host hs and brings the
// variables derived from the inventory up to date.
func (r *runner) changeInventory(pc *playCtx, hs *hostState, key string, res map[string]any) (bool, error) {
	var c inventory.Change
	var err error
	r.writeState(func() {
		if key == modules.AddHostKey {
			req, _ := res[key].(map[string]any)
			name, _ := req["host_name"].(string)
			var groups []string
			if gs, ok := req["groups"].([]any); ok {
				for _, g := range gs {
					s, _ := g.(string)
					groups = append(groups, s)
				}
			}
			vars, _ := req["host_vars"].(map[string]any)
			c, err = r.inv.AddHost(name, groups, maps.Clone(vars))
			if err == nil && c.Created {
				h, _ := r.inv.Host(name)
				r.hostState(h)
			}
		} else {
			name, _ := res[key].(string)
			var parents []string
			if ps, ok := res["parent_groups"].([]any); ok {
				for _, p := range ps {
					s, _ := p.(string)
					parents = append(parents, s)
				}
			}
			c, err = r.inv.GroupBy(hs.name, name, parents)
		}
		if err != nil {
			return
		}
		r.groups = groupsVar(r.inv)
		for _, s := range r.hosts {
			s.magic["groups"] = r.groups
		}
		for _, name := range c.Affected {
			if s, ok := r.hosts[name]; ok {
				s.magic["group_names"] = stringsAny(r.inv.GroupNames(name))
			}
		}
	})
	if err != nil {
		return false, fatalf("%s", err.Error())
	}
	if c.Warning != "" {
		r.warnOnce(c.Warning)
	}
	// hostvars entries hold the layers of their hosts' variables: build
	// the changed hosts' anew (outside the lock: building reads state).
	fresh := map[string]any{}
	for _, name := range c.Affected {
		if s, ok := r.hosts[name]; ok {
			fresh[name] = r.scope(pc, s, nil)
		}
	}
	r.writeState(func() {
		hv := maps.Clone(pc.hostvars)
		maps.Copy(hv, fresh)
		pc.hostvars = hv
		pc.playMagic["hostvars"] = hv
	})
	return c.Changed, nil
}

// groupsVar is the `groups` magic variable, its keys in the inventory's
// group order (as Ansible's dict shows them).
func groupsVar(inv *inventory.Inventory) map[string]any {
	groups := map[string]any{}
	for g, members := range inv.Groups() {
		groups[g] = stringsAny(members)
	}
	keyorder.Record(groups, inv.GroupOrder())
	return groups
}
