package executor

import (
	"strings"
)

// VarsFileError is a group_vars/host_vars file of a host that could not be
// read (a wrong vault password, a YAML error). Ansible reads those files
// each time it gathers a host's variables for a task, so it meets the
// failure when the play (or serial batch) starts, after the play banner,
// and stops the run: ansible-playbook prints "ERROR! <Err>" and exits
// with code 4.
type VarsFileError struct {
	Host string // the host whose variables were wanted
	Err  error  // the inventory's error (*inventory.ParseError)
}

func (e *VarsFileError) Error() string { return e.Err.Error() }
func (e *VarsFileError) Unwrap() error { return e.Err }

// hasVarsErrors tells whether some host's inventory vars files could not
// be read; without any, varsFileCheck has nothing to do.
func (r *runner) hasVarsErrors() bool {
	for _, h := range r.inv.Hosts() {
		if r.inv.VarsError(h.Name) != nil {
			return true
		}
	}
	// the implicit localhost, which Hosts leaves out
	return r.inv.VarsError("localhost") != nil
}

// varsFileCheck is Ansible's gathering of the hosts' variables for task n
// (nil for the implicit flush_handlers of a section), in host order: the
// first host whose vars files (or, for a delegated task, whose delegate's
// vars files) could not be read gives a *VarsFileError, with its index in
// hosts (Ansible shows a task's banner once the first host's variables
// are in hand, so an error at index 0 comes before the banner, a later
// one after it). -1 and nil when every host's variables were read.
func (r *runner) varsFileCheck(pc *playCtx, n *node, hosts []*hostState) (int, error) {
	if !r.varsErrs {
		return -1, nil
	}
	for i, hs := range hosts {
		if hs.host != nil {
			if err := r.inv.VarsError(hs.host.Name); err != nil {
				return i, &VarsFileError{Host: hs.name, Err: err}
			}
		}
		if n == nil || n.task.DelegateTo == "" {
			continue
		}
		// A name that does not template here (a loop's item) is left to
		// the task, which reports its own templating errors.
		name, err := r.engine.RenderString(n.task.DelegateTo, r.scope(pc, hs, n))
		if err != nil {
			continue
		}
		name = strings.TrimSpace(name)
		if err := r.inv.VarsError(name); err != nil {
			return i, &VarsFileError{Host: name, Err: err}
		}
	}
	return -1, nil
}
