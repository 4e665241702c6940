package kv

import (
	"fmt"
	"strings"
	"time"
)

// undo remembers what a transaction changed so a failing op can roll the
// whole transaction back.
type undo struct {
	entries map[string]*Entry // nil value: key did not exist
	tombs   map[string]*uint64
	kvIndex uint64
}

func (u *undo) save(s *Store, key string) {
	if u == nil {
		return
	}
	if _, ok := u.entries[key]; !ok {
		u.entries[key] = s.entries[key]
	}
	if _, ok := u.tombs[key]; !ok {
		if t, had := s.tombs[key]; had {
			u.tombs[key] = &t
		} else {
			u.tombs[key] = nil
		}
	}
}

func (u *undo) rollback(s *Store) {
	for k, e := range u.entries {
		if e == nil {
			delete(s.entries, k)
		} else {
			s.entries[k] = e
		}
	}
	for k, t := range u.tombs {
		if t == nil {
			delete(s.tombs, k)
		} else {
			s.tombs[k] = *t
		}
	}
	s.kvIndex = u.kvIndex
}

// Apply applies one command at raft index idx. It is deterministic given
// the same state and command, as raft requires.
func (s *Store) Apply(idx uint64, c *Command) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.notify()
	if idx > s.lastIndex {
		s.lastIndex = idx
	}
	res := Result{Index: idx}
	switch {
	case c.KV != nil:
		ok, _, err := s.applyOp(idx, c.KV, c.Now, nil)
		res.OK = ok
		if err != nil {
			res.Err = err.Error()
		}
	case c.Txn != nil:
		s.applyTxn(idx, c, &res)
	case c.SessionCreate != nil:
		if err := s.sessionCreate(idx, c.SessionCreate); err != nil {
			res.Err = err.Error()
		} else {
			res.OK = true
		}
	case c.SessionDestroy != "":
		s.sessionDestroy(idx, c.SessionDestroy, c.Now)
		res.OK = true
	default:
		res.Err = "empty command"
	}
	return res
}

func (s *Store) applyTxn(idx uint64, c *Command, res *Result) {
	u := &undo{entries: map[string]*Entry{}, tombs: map[string]*uint64{}, kvIndex: s.kvIndex}
	for i := range c.Txn {
		op := &c.Txn[i]
		if op.Verb == VerbGetTree {
			res.Entries = append(res.Entries, s.listLocked(op.Key)...)
			continue
		}
		ok, e, err := s.applyOp(idx, op, c.Now, u)
		if err == nil && !ok {
			err = txnRefused(op)
		}
		if err != nil {
			u.rollback(s)
			res.Entries = nil
			res.TxnErrors = append(res.TxnErrors, TxnError{OpIndex: i, What: err.Error()})
			return
		}
		if e != nil {
			res.Entries = append(res.Entries, e)
		}
	}
	res.OK = true
}

// txnRefused words a false answer of an op as the error a txn reports.
func txnRefused(op *Op) error {
	switch op.Verb {
	case VerbCAS, VerbDeleteCAS, VerbCheckIndex:
		return fmt.Errorf("failed to set key %q, index is stale", op.Key)
	case VerbLock:
		return fmt.Errorf("failed to lock key %q, lock is already held", op.Key)
	case VerbUnlock:
		return fmt.Errorf("failed to unlock key %q, lock isn't held, or is held by another session", op.Key)
	case VerbGet, VerbCheckSess:
		return fmt.Errorf("key %q doesn't exist", op.Key)
	case VerbCheckNot:
		return fmt.Errorf("key %q exists", op.Key)
	}
	return fmt.Errorf("failed to apply %s on key %q", op.Verb, op.Key)
}

// applyOp runs one op; it returns the op's boolean answer, the entry a
// transaction reports for it, and request errors.
func (s *Store) applyOp(idx uint64, op *Op, now time.Time, u *undo) (bool, *Entry, error) {
	cur := s.entries[op.Key]
	switch op.Verb {
	case VerbSet:
		return true, s.put(idx, op, cur, cur.sessionOr(""), 0, u), nil
	case VerbCAS:
		if (op.Index == 0 && cur != nil) || (op.Index != 0 && (cur == nil || cur.ModifyIndex != op.Index)) {
			return false, nil, nil
		}
		return true, s.put(idx, op, cur, cur.sessionOr(""), 0, u), nil
	case VerbLock:
		if op.Session == "" {
			return false, nil, fmt.Errorf("Missing session")
		}
		if s.sessions[op.Session] == nil {
			return false, nil, fmt.Errorf("Invalid session %q", op.Session)
		}
		if cur != nil && cur.Session == op.Session {
			return true, s.put(idx, op, cur, op.Session, 0, u), nil
		}
		if cur != nil && cur.Session != "" {
			return false, nil, nil
		}
		if until, ok := s.lockDelay[op.Key]; ok && now.Before(until) {
			return false, nil, nil
		}
		return true, s.put(idx, op, cur, op.Session, 1, u), nil
	case VerbUnlock:
		if op.Session == "" {
			return false, nil, fmt.Errorf("Missing session")
		}
		if cur == nil || cur.Session != op.Session {
			return false, nil, nil
		}
		return true, s.put(idx, op, cur, "", 0, u), nil
	case VerbDelete:
		s.remove(idx, op.Key, u)
		return true, nil, nil
	case VerbDeleteCAS:
		if cur == nil {
			return true, nil, nil
		}
		if cur.ModifyIndex != op.Index {
			return false, nil, nil
		}
		s.remove(idx, op.Key, u)
		return true, nil, nil
	case VerbDeleteTree:
		for k := range s.entries {
			if strings.HasPrefix(k, op.Key) {
				s.remove(idx, k, u)
			}
		}
		return true, nil, nil
	case VerbGet:
		return cur != nil, cur, nil
	case VerbCheckIndex:
		return cur != nil && cur.ModifyIndex == op.Index, cur, nil
	case VerbCheckSess:
		return cur != nil && cur.Session == op.Session, cur, nil
	case VerbCheckNot:
		return cur == nil, nil, nil
	}
	return false, nil, fmt.Errorf("unknown KV operation %q", op.Verb)
}

func (e *Entry) sessionOr(def string) string {
	if e == nil {
		return def
	}
	return e.Session
}

// put stores a new version of the op's key; lockInc adds to LockIndex.
func (s *Store) put(idx uint64, op *Op, cur *Entry, session string, lockInc uint64, u *undo) *Entry {
	u.save(s, op.Key)
	e := &Entry{Key: op.Key, Flags: op.Flags, Session: session, CreateIndex: idx, ModifyIndex: idx, LockIndex: lockInc}
	if len(op.Value) > 0 {
		e.Value = op.Value
	}
	if cur != nil {
		e.CreateIndex = cur.CreateIndex
		e.LockIndex = cur.LockIndex + lockInc
	}
	s.entries[op.Key] = e
	delete(s.tombs, op.Key)
	s.kvIndex = idx
	return e
}

// remove deletes a key, leaving a tombstone that keeps list indexes
// from going backwards.
func (s *Store) remove(idx uint64, key string, u *undo) {
	if _, ok := s.entries[key]; !ok {
		return
	}
	u.save(s, key)
	delete(s.entries, key)
	s.tombs[key] = idx
	s.kvIndex = idx
}

func (s *Store) sessionCreate(idx uint64, se *Session) error {
	if se.ID == "" {
		return fmt.Errorf("Missing session ID")
	}
	if s.sessions[se.ID] != nil {
		return fmt.Errorf("Session ID %q already exists", se.ID)
	}
	n := *se
	if n.Behavior == "" {
		n.Behavior = BehaviorRelease
	}
	n.CreateIndex, n.ModifyIndex = idx, idx
	s.sessions[n.ID] = &n
	s.sessIndex = idx
	return nil
}

// sessionDestroy drops a session and releases (or deletes) what it held,
// arming the lock delay on those keys.
func (s *Store) sessionDestroy(idx uint64, id string, now time.Time) {
	se := s.sessions[id]
	if se == nil {
		return
	}
	delete(s.sessions, id)
	s.sessIndex = idx
	for k, e := range s.entries {
		if e.Session != id {
			continue
		}
		if se.Behavior == BehaviorDelete {
			s.remove(idx, k, nil)
		} else {
			n := *e
			n.Session, n.ModifyIndex = "", idx
			s.entries[k] = &n
			s.kvIndex = idx
		}
		if se.LockDelay > 0 {
			s.lockDelay[k] = now.Add(se.LockDelay)
		}
	}
}
