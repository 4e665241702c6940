package executor

// The state lock (runner.state) guards what workers read while the main
// goroutine may write it: the layer maps of the hosts' scopes (facts,
// set_fact, registered and include_vars values), the play's dynamic
// variables, vars_files layers and the map of hosts. The free strategy
// applies one host's results while other hosts' tasks run.
//
// Every lock is taken and released by the one function that needs it, so
// no code depends on a lock its caller holds:
//   - a worker reads under the read lock only: each scope read (scopes are
//     guarded, see template.Guard) and the pointers a scope is built from;
//     it holds nothing while it templates, looks up, decrypts or runs a
//     module, so a slow lookup on one host never stalls the others;
//   - the main goroutine writes under the write lock only (writeState),
//     and never templates while it holds it, as a scope read would then
//     wait for itself. It reads without a lock: it is the only writer.
//
// A value reachable from a layer map is replaced, never changed in place
// (hostState.setFacts), since templates use it after the read lock is gone.

// readState returns f's reading of the shared state, under the read lock.
func readState[T any](r *runner, f func() T) T {
	r.state.RLock()
	defer r.state.RUnlock()
	return f()
}

// writeState runs f, which writes the shared state and templates nothing,
// under the write lock.
func (r *runner) writeState(f func()) {
	r.state.Lock()
	defer r.state.Unlock()
	f()
}
