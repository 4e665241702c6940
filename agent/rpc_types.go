package agent

import (
	"time"

	"github.com/gossible/gossible/agent/kv"
)

// QueryOptions are the read options shared by every query RPC.
type QueryOptions struct {
	// Datacenter must be empty or the agent's own.
	Datacenter string
	// MinIndex makes the query block until the result's index exceeds it.
	MinIndex uint64
	// MaxQueryTime caps the blocking wait (default 5m, at most 10m).
	MaxQueryTime time.Duration
	// AllowStale lets any server answer from its local state.
	AllowStale bool
	// RequireConsistent makes the leader confirm its leadership first.
	RequireConsistent bool
}

// QueryMeta is returned with every query result.
type QueryMeta struct {
	Index       uint64
	KnownLeader bool
	LastContact time.Duration
}

// KVSRequest is a KV write.
type KVSRequest struct {
	Datacenter string
	Op         kv.Op
}

// KeyRequest reads one key or, with List, a prefix.
type KeyRequest struct {
	Key string
	QueryOptions
}

// KeyListRequest lists key names under Prefix, cut at Separator.
type KeyListRequest struct {
	Prefix    string
	Separator string
	QueryOptions
}

// IndexedEntries answers KV reads.
type IndexedEntries struct {
	Entries []*kv.Entry
	QueryMeta
}

// IndexedKeys answers key listings.
type IndexedKeys struct {
	Keys []string
	QueryMeta
}

// SessionRequest creates (Op "create") or destroys (Op "destroy") a session.
type SessionRequest struct {
	Datacenter string
	Op         string
	Session    kv.Session
}

// SessionQuery reads sessions by ID or by node.
type SessionQuery struct {
	ID   string
	Node string
	QueryOptions
}

// IndexedSessions answers session reads.
type IndexedSessions struct {
	Sessions []*kv.Session
	QueryMeta
}

// TxnRequest is a list of KV operations applied all-or-nothing.
type TxnRequest struct {
	Datacenter string
	Ops        []kv.Op
}

// TxnResponse is the outcome of a transaction.
type TxnResponse struct {
	Entries []*kv.Entry
	Errors  []kv.TxnError
}

// Empty is an argument or reply with nothing in it.
type Empty struct{}
