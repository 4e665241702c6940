package kv

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func set(key, val string) *Command {
	return &Command{KV: &Op{Verb: VerbSet, Key: key, Value: []byte(val)}}
}

func TestOps(t *testing.T) {
	s := NewStore()
	s.Apply(2, set("a", "1"))
	s.Apply(3, set("dir/b", "2"))
	s.Apply(4, &Command{SessionCreate: &Session{ID: "s1", Node: "n", LockDelay: time.Minute}})
	s.Apply(5, &Command{SessionCreate: &Session{ID: "s2", Node: "n"}})
	now := time.Unix(1000, 0)
	tests := []struct {
		name    string
		op      Op
		wantOK  bool
		wantErr string
		check   func(t *testing.T)
	}{
		{name: "cas zero on existing key refused", op: Op{Verb: VerbCAS, Key: "a", Index: 0}},
		{name: "cas stale refused", op: Op{Verb: VerbCAS, Key: "a", Index: 9}},
		{name: "cas current accepted", op: Op{Verb: VerbCAS, Key: "a", Index: 2, Value: []byte("x"), Flags: 7}, wantOK: true,
			check: func(t *testing.T) {
				_, e := s.Get("a")
				if e.CreateIndex != 2 || e.ModifyIndex != 12 || e.Flags != 7 || string(e.Value) != "x" {
					t.Fatalf("entry %+v", e)
				}
			}},
		{name: "cas zero creates", op: Op{Verb: VerbCAS, Key: "new", Index: 0}, wantOK: true},
		{name: "lock without session", op: Op{Verb: VerbLock, Key: "l"}, wantErr: "Missing session"},
		{name: "lock unknown session", op: Op{Verb: VerbLock, Key: "l", Session: "nope"}, wantErr: `Invalid session "nope"`},
		{name: "lock", op: Op{Verb: VerbLock, Key: "l", Session: "s1"}, wantOK: true,
			check: func(t *testing.T) {
				if _, e := s.Get("l"); e.LockIndex != 1 || e.Session != "s1" {
					t.Fatalf("entry %+v", e)
				}
			}},
		{name: "relock same session keeps lock index", op: Op{Verb: VerbLock, Key: "l", Session: "s1"}, wantOK: true,
			check: func(t *testing.T) {
				if _, e := s.Get("l"); e.LockIndex != 1 {
					t.Fatalf("entry %+v", e)
				}
			}},
		{name: "lock held by other", op: Op{Verb: VerbLock, Key: "l", Session: "s2"}},
		{name: "set keeps session", op: Op{Verb: VerbSet, Key: "l", Value: []byte("v")}, wantOK: true,
			check: func(t *testing.T) {
				if _, e := s.Get("l"); e.Session != "s1" {
					t.Fatalf("entry %+v", e)
				}
			}},
		{name: "unlock by other refused", op: Op{Verb: VerbUnlock, Key: "l", Session: "s2"}},
		{name: "unlock", op: Op{Verb: VerbUnlock, Key: "l", Session: "s1"}, wantOK: true},
		{name: "delete cas stale", op: Op{Verb: VerbDeleteCAS, Key: "a", Index: 1}},
		{name: "delete cas missing key", op: Op{Verb: VerbDeleteCAS, Key: "zz", Index: 1}, wantOK: true},
		{name: "delete tree", op: Op{Verb: VerbDeleteTree, Key: "dir/"}, wantOK: true,
			check: func(t *testing.T) {
				if _, es := s.List("dir/"); len(es) != 0 {
					t.Fatalf("left %v", es)
				}
			}},
	}
	idx := uint64(10)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := tt.op
			r := s.Apply(idx, &Command{KV: &op, Now: now})
			idx++
			if r.OK != tt.wantOK || r.Err != tt.wantErr {
				t.Fatalf("got ok=%v err=%q, want ok=%v err=%q", r.OK, r.Err, tt.wantOK, tt.wantErr)
			}
			if tt.check != nil {
				tt.check(t)
			}
		})
	}
}

func TestIndexNeverGoesBackwards(t *testing.T) {
	s := NewStore()
	if idx, _ := s.Get("x"); idx != 0 {
		t.Fatalf("empty store index %d", idx)
	}
	s.Apply(5, set("p/a", "1"))
	s.Apply(6, set("p/b", "1"))
	s.Apply(7, &Command{KV: &Op{Verb: VerbDelete, Key: "p/b"}})
	if idx, es := s.List("p/"); idx != 7 || len(es) != 1 {
		t.Fatalf("after delete: idx %d entries %d", idx, len(es))
	}
	if idx, e := s.Get("p/b"); idx != 7 || e != nil {
		t.Fatalf("missing key idx %d", idx)
	}
	s.Apply(8, &Command{KV: &Op{Verb: VerbDeleteTree, Key: "p/"}})
	if idx, _ := s.List("p/"); idx != 8 {
		t.Fatalf("after delete-tree: idx %d", idx)
	}
	if idx, _ := s.List(""); idx != 8 {
		t.Fatalf("root idx %d", idx)
	}
}

func TestSessionDestroyAndLockDelay(t *testing.T) {
	s := NewStore()
	now := time.Unix(1000, 0)
	s.Apply(2, &Command{SessionCreate: &Session{ID: "s1", LockDelay: 10 * time.Second}})
	s.Apply(3, &Command{SessionCreate: &Session{ID: "s2", Behavior: BehaviorDelete}})
	s.Apply(4, &Command{KV: &Op{Verb: VerbLock, Key: "a", Session: "s1"}, Now: now})
	s.Apply(5, &Command{KV: &Op{Verb: VerbLock, Key: "b", Session: "s2"}, Now: now})
	s.Apply(6, &Command{SessionDestroy: "s1", Now: now})
	s.Apply(7, &Command{SessionDestroy: "s2", Now: now})
	if _, e := s.Get("a"); e == nil || e.Session != "" || e.ModifyIndex != 6 {
		t.Fatalf("a not released: %+v", e)
	}
	if _, e := s.Get("b"); e != nil {
		t.Fatalf("b not deleted: %+v", e)
	}
	s.Apply(8, &Command{SessionCreate: &Session{ID: "s3"}})
	if r := s.Apply(9, &Command{KV: &Op{Verb: VerbLock, Key: "a", Session: "s3"}, Now: now.Add(time.Second)}); r.OK {
		t.Fatal("lock taken inside the lock delay")
	}
	if r := s.Apply(10, &Command{KV: &Op{Verb: VerbLock, Key: "a", Session: "s3"}, Now: now.Add(11 * time.Second)}); !r.OK {
		t.Fatal("lock refused after the lock delay")
	}
}

func TestTxnRollsBack(t *testing.T) {
	s := NewStore()
	s.Apply(2, set("a", "1"))
	r := s.Apply(3, &Command{Txn: []Op{
		{Verb: VerbSet, Key: "b", Value: []byte("2")},
		{Verb: VerbDelete, Key: "a"},
		{Verb: VerbCAS, Key: "c", Index: 42},
	}})
	if r.OK || len(r.TxnErrors) != 1 || r.TxnErrors[0].OpIndex != 2 {
		t.Fatalf("txn result %+v", r)
	}
	if _, e := s.Get("b"); e != nil {
		t.Fatal("b kept after rollback")
	}
	if _, e := s.Get("a"); e == nil {
		t.Fatal("a deleted after rollback")
	}
	if idx, _ := s.Get("zz"); idx != 2 {
		t.Fatalf("table index %d after rollback", idx)
	}
}

type sink struct {
	bytes.Buffer
}

func (s *sink) ID() string    { return "x" }
func (s *sink) Cancel() error { return nil }
func (s *sink) Close() error  { return nil }

func TestSnapshotRestore(t *testing.T) {
	f := NewFSM(NewStore())
	data, _ := Encode(&Command{KV: &Op{Verb: VerbSet, Key: "k", Value: []byte("v"), Flags: 3}})
	if r := f.Apply(&raft.Log{Index: 4, Data: data}).(Result); !r.OK {
		t.Fatalf("apply %+v", r)
	}
	f.Apply(&raft.Log{Index: 5, Data: mustEncode(&Command{KV: &Op{Verb: VerbDelete, Key: "gone"}})})
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	var out sink
	if err := snap.Persist(&out); err != nil {
		t.Fatal(err)
	}
	g := NewFSM(NewStore())
	if err := g.Restore(io.NopCloser(&out)); err != nil {
		t.Fatal(err)
	}
	idx, e := g.Store().Get("k")
	if idx != 4 || e == nil || string(e.Value) != "v" || e.Flags != 3 || g.Store().LastIndex() != 5 {
		t.Fatalf("restored idx %d entry %+v", idx, e)
	}
}

func mustEncode(c *Command) []byte {
	b, err := Encode(c)
	if err != nil {
		panic(err)
	}
	return b
}
