package kv

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"

	"github.com/hashicorp/raft"
)

// FSM applies raft log entries (JSON-encoded Commands) to a Store.
type FSM struct {
	store *Store
}

var _ raft.FSM = (*FSM)(nil)

// NewFSM returns an FSM over store.
func NewFSM(store *Store) *FSM { return &FSM{store: store} }

// Store returns the state the FSM writes to.
func (f *FSM) Store() *Store { return f.store }

// Encode turns a command into raft log data.
func Encode(c *Command) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode command: %w", err)
	}
	return b, nil
}

// Apply decodes a log and applies it; it returns a Result.
func (f *FSM) Apply(l *raft.Log) interface{} {
	var c Command
	if err := json.Unmarshal(l.Data, &c); err != nil {
		return Result{Index: l.Index, Err: fmt.Sprintf("decode command: %v", err)}
	}
	return f.store.Apply(l.Index, &c)
}

// state is the snapshot form of a Store.
type state struct {
	Entries   []*Entry
	Tombs     map[string]uint64
	Sessions  []*Session
	KVIndex   uint64
	SessIndex uint64
	LastIndex uint64
}

// Snapshot captures the store; entries are immutable so a shallow copy
// taken under the read lock is a consistent point-in-time view.
func (f *FSM) Snapshot() (raft.FSMSnapshot, error) {
	s := f.store
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := &state{Tombs: maps.Clone(s.tombs), KVIndex: s.kvIndex, SessIndex: s.sessIndex, LastIndex: s.lastIndex}
	for _, e := range s.entries {
		st.Entries = append(st.Entries, e)
	}
	for _, se := range s.sessions {
		st.Sessions = append(st.Sessions, se)
	}
	return st, nil
}

// Restore replaces the store's content with a snapshot.
func (f *FSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	var st state
	if err := json.NewDecoder(rc).Decode(&st); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	s := f.store
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = map[string]*Entry{}
	for _, e := range st.Entries {
		s.entries[e.Key] = e
	}
	s.sessions = map[string]*Session{}
	for _, se := range st.Sessions {
		s.sessions[se.ID] = se
	}
	s.tombs = st.Tombs
	if s.tombs == nil {
		s.tombs = map[string]uint64{}
	}
	s.kvIndex, s.sessIndex, s.lastIndex = st.KVIndex, st.SessIndex, st.LastIndex
	s.notify()
	return nil
}

// Persist writes the snapshot as JSON.
func (st *state) Persist(sink raft.SnapshotSink) error {
	if err := json.NewEncoder(sink).Encode(st); err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persist snapshot: %w", err)
	}
	return sink.Close()
}

// Release is a no-op: the snapshot holds no resources.
func (st *state) Release() {}
