package kv

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// Store holds the state. Entries and sessions it hands out are never
// changed afterwards (a change stores a new value), so readers may keep them.
type Store struct {
	mu        sync.RWMutex
	entries   map[string]*Entry
	tombs     map[string]uint64 // deleted key -> raft index of the delete
	sessions  map[string]*Session
	lockDelay map[string]time.Time // key -> earliest time it may be acquired again
	kvIndex   uint64               // last index that changed the kv table (incl. deletes)
	sessIndex uint64               // last index that changed the sessions table
	lastIndex uint64               // last applied raft index
	watch     chan struct{}        // closed and replaced on every change
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		entries:   map[string]*Entry{},
		tombs:     map[string]uint64{},
		sessions:  map[string]*Session{},
		lockDelay: map[string]time.Time{},
		watch:     make(chan struct{}),
	}
}

// WatchCh returns a channel closed at the next change of the store.
func (s *Store) WatchCh() <-chan struct{} {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.watch
}

// LastIndex is the last raft index applied to the store.
func (s *Store) LastIndex() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastIndex
}

// notify wakes blocked readers; the caller holds the write lock.
func (s *Store) notify() {
	close(s.watch)
	s.watch = make(chan struct{})
}

// Get returns the entry for key (nil when missing) and the query index:
// the entry's ModifyIndex, or the kv table index when the key is missing.
func (s *Store) Get(key string) (uint64, *Entry) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if e, ok := s.entries[key]; ok {
		return e.ModifyIndex, e
	}
	return s.kvIndex, nil
}

// List returns the entries under prefix sorted by key, with Consul's list
// index: the highest ModifyIndex or tombstone under the prefix, falling
// back to the table index, so deletes never move the index backwards.
func (s *Store) List(prefix string) (uint64, []*Entry) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := s.listLocked(prefix)
	var idx uint64
	for _, e := range out {
		idx = max(idx, e.ModifyIndex)
	}
	return s.prefixIndex(prefix, idx), out
}

// listLocked returns the entries under prefix sorted by key; the caller
// holds a lock.
func (s *Store) listLocked(prefix string) []*Entry {
	var out []*Entry
	for k, e := range s.entries {
		if strings.HasPrefix(k, prefix) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Keys lists key names under prefix; with a separator, keys are cut after
// the first separator following the prefix and deduplicated, as Consul does.
func (s *Store) Keys(prefix, sep string) (uint64, []string) {
	idx, entries := s.List(prefix)
	var out []string
	seen := map[string]bool{}
	for _, e := range entries {
		k := e.Key
		if sep != "" {
			if i := strings.Index(k[len(prefix):], sep); i >= 0 {
				k = k[:len(prefix)+i+len(sep)]
			}
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return idx, out
}

// prefixIndex folds tombstones into a list index; the caller holds a lock.
func (s *Store) prefixIndex(prefix string, idx uint64) uint64 {
	if prefix == "" {
		return s.kvIndex
	}
	for k, t := range s.tombs {
		if strings.HasPrefix(k, prefix) {
			idx = max(idx, t)
		}
	}
	if idx == 0 {
		return s.kvIndex
	}
	return idx
}

// SessionGet returns one session (nil when missing) and the sessions index.
func (s *Store) SessionGet(id string) (uint64, *Session) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sessIndex, s.sessions[id]
}

// SessionList returns the sessions, of one node when node is not empty,
// sorted by ID, with the sessions table index.
func (s *Store) SessionList(node string) (uint64, []*Session) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*Session
	for _, se := range s.sessions {
		if node == "" || se.Node == node {
			out = append(out, se)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return s.sessIndex, out
}
