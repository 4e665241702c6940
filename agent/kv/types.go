// Package kv is the registry's replicated state: the key/value entries,
// their tombstones and the sessions that hold locks on them, with Consul's
// index rules. A Store is changed only through Apply with a raft log index
// (see FSM), so every server that applies the same log holds the same state.
// Reads never block writers; blocking queries wait on WatchCh.
package kv

import "time"

// Entry is one key, shaped (and JSON-encoded) like Consul's DirEntry.
type Entry struct {
	// CreateIndex is the raft index that created the key.
	CreateIndex uint64
	// ModifyIndex is the raft index of the last change to the key.
	ModifyIndex uint64
	// LockIndex counts how many times a session acquired the key.
	LockIndex uint64
	// Key is the full key name, without a leading slash.
	Key string
	// Flags is an opaque number kept for the client.
	Flags uint64
	// Value is the stored bytes; encoded as base64, or null when empty.
	Value []byte
	// Session is the ID of the session holding the lock, if any.
	Session string `json:",omitempty"`
}

// Session is a lock owner, shaped like Consul's SessionEntry.
type Session struct {
	ID          string
	Name        string
	Node        string
	LockDelay   time.Duration
	Behavior    string
	TTL         string
	NodeChecks  []string
	CreateIndex uint64
	ModifyIndex uint64
}

// Session behaviors on invalidation, as in Consul.
const (
	BehaviorRelease = "release"
	BehaviorDelete  = "delete"
)

// Verbs of a KV operation, named as Consul's KVOp values.
const (
	VerbSet        = "set"
	VerbCAS        = "cas"
	VerbLock       = "lock"
	VerbUnlock     = "unlock"
	VerbGet        = "get"
	VerbGetTree    = "get-tree"
	VerbDelete     = "delete"
	VerbDeleteCAS  = "delete-cas"
	VerbDeleteTree = "delete-tree"
	VerbCheckIndex = "check-index"
	VerbCheckSess  = "check-session"
	VerbCheckNot   = "check-not-exists"
)

// Op is one KV change. Index is the compare index for cas verbs.
type Op struct {
	Verb    string
	Key     string
	Value   []byte
	Flags   uint64
	Index   uint64
	Session string
}

// Command is what goes through raft: exactly one of its parts is set.
type Command struct {
	// KV is a single key operation.
	KV *Op `json:",omitempty"`
	// Txn is a list of KV operations applied all-or-nothing.
	Txn []Op `json:",omitempty"`
	// SessionCreate adds a session (ID chosen by the proposer).
	SessionCreate *Session `json:",omitempty"`
	// SessionDestroy invalidates the session with this ID.
	SessionDestroy string `json:",omitempty"`
	// Now is the proposer's wall clock, used for lock delays so every
	// server computes the same deadline.
	Now time.Time
}

// Result is what Apply returns for a Command.
type Result struct {
	// OK is the boolean answer of KV verbs (false: cas/lock refused).
	OK bool
	// Err is a request error (invalid session, ...), empty on success.
	Err string `json:",omitempty"`
	// Entries are the entries a txn returns, one per op when it succeeds.
	Entries []*Entry `json:",omitempty"`
	// TxnErrors hold the failing op indexes of a refused txn.
	TxnErrors []TxnError `json:",omitempty"`
	// Index is the raft index the command was applied at.
	Index uint64
}

// TxnError names the op of a transaction that failed and why.
type TxnError struct {
	OpIndex int
	What    string
}
