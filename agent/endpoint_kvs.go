package agent

import (
	"errors"

	"github.com/gossible/gossible/agent/kv"
)

// kvsEndpoint serves the KVS.* RPCs on servers.
type kvsEndpoint struct{ s *server }

// Apply runs one KV write on the leader and answers its boolean result.
func (e *kvsEndpoint) Apply(args *KVSRequest, reply *bool) error {
	if args.Op.Key == "" && args.Op.Verb != kv.VerbDeleteTree {
		return errors.New("Must provide key")
	}
	return e.s.leaderWrite("KVS.Apply", args.Datacenter, args, reply, func() error {
		op := args.Op
		res, err := e.s.apply(&kv.Command{KV: &op})
		if err != nil {
			return err
		}
		if res.Err != "" {
			return errors.New(res.Err)
		}
		*reply = res.OK
		return nil
	})
}

// Get reads one key.
func (e *kvsEndpoint) Get(args *KeyRequest, reply *IndexedEntries) error {
	if done, err := e.s.forward("KVS.Get", args.Datacenter, args.AllowStale, args, reply); done {
		return err
	}
	return e.s.blockingQuery(&args.QueryOptions, &reply.QueryMeta, func() uint64 {
		idx, ent := e.s.store.Get(args.Key)
		reply.Entries = nil
		if ent != nil {
			reply.Entries = []*kv.Entry{ent}
		}
		return idx
	})
}

// List reads every key under a prefix.
func (e *kvsEndpoint) List(args *KeyRequest, reply *IndexedEntries) error {
	if done, err := e.s.forward("KVS.List", args.Datacenter, args.AllowStale, args, reply); done {
		return err
	}
	return e.s.blockingQuery(&args.QueryOptions, &reply.QueryMeta, func() uint64 {
		idx, ents := e.s.store.List(args.Key)
		reply.Entries = ents
		return idx
	})
}

// ListKeys lists key names under a prefix.
func (e *kvsEndpoint) ListKeys(args *KeyListRequest, reply *IndexedKeys) error {
	if done, err := e.s.forward("KVS.ListKeys", args.Datacenter, args.AllowStale, args, reply); done {
		return err
	}
	return e.s.blockingQuery(&args.QueryOptions, &reply.QueryMeta, func() uint64 {
		idx, keys := e.s.store.Keys(args.Prefix, args.Separator)
		reply.Keys = keys
		return idx
	})
}

// txnEndpoint serves Txn.Apply.
type txnEndpoint struct{ s *server }

// Apply runs a transaction on the leader.
func (e *txnEndpoint) Apply(args *TxnRequest, reply *TxnResponse) error {
	return e.s.leaderWrite("Txn.Apply", args.Datacenter, args, reply, func() error {
		res, err := e.s.apply(&kv.Command{Txn: args.Ops})
		if err != nil {
			return err
		}
		reply.Entries, reply.Errors = res.Entries, res.TxnErrors
		return nil
	})
}

// statusEndpoint serves Status.*: answered by any server from its own view.
type statusEndpoint struct{ s *server }

// Leader returns the leader's server address, "" when unknown.
func (e *statusEndpoint) Leader(_ *Empty, reply *string) error {
	addr, _ := e.s.raft.LeaderWithID()
	*reply = string(addr)
	return nil
}

// Peers returns the server addresses in the raft configuration.
func (e *statusEndpoint) Peers(_ *Empty, reply *[]string) error {
	f := e.s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return err
	}
	out := []string{}
	for _, srv := range f.Configuration().Servers {
		out = append(out, string(srv.Address))
	}
	*reply = out
	return nil
}
