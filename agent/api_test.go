package agent

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"
)

func apiClient(t *testing.T, a *Agent) *api.Client {
	t.Helper()
	c, err := api.NewClient(&api.Config{Address: a.HTTPAddr()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestConsulAPI drives one server with HashiCorp's own client library.
func TestConsulAPI(t *testing.T) {
	a := startAgent(t, "api1", bootstrap)
	waitLeader(t, a)
	c := apiClient(t, a)
	kv := c.KV()

	t.Run("put get list keys", func(t *testing.T) {
		for _, k := range []string{"app/a", "app/b", "app/sub/c", "other"} {
			if _, err := kv.Put(&api.KVPair{Key: k, Value: []byte("v-" + k), Flags: 42}, nil); err != nil {
				t.Fatal(err)
			}
		}
		p, meta, err := kv.Get("app/a", nil)
		if err != nil || p == nil || string(p.Value) != "v-app/a" || p.Flags != 42 || meta.LastIndex == 0 {
			t.Fatalf("get: %+v %+v %v", p, meta, err)
		}
		if !meta.KnownLeader {
			t.Fatal("KnownLeader false")
		}
		missing, meta2, err := kv.Get("nope", nil)
		if err != nil || missing != nil || meta2.LastIndex == 0 {
			t.Fatalf("missing: %+v %+v %v", missing, meta2, err)
		}
		list, _, err := kv.List("app/", nil)
		if err != nil || len(list) != 3 || list[0].Key != "app/a" || list[2].Key != "app/sub/c" {
			t.Fatalf("list: %v %v", list, err)
		}
		keys, _, err := kv.Keys("app/", "/", nil)
		if err != nil || fmt.Sprint(keys) != "[app/a app/b app/sub/]" {
			t.Fatalf("keys: %v %v", keys, err)
		}
		all, _, err := kv.Keys("", "", nil)
		if err != nil || len(all) != 4 {
			t.Fatalf("all keys: %v %v", all, err)
		}
		if _, _, err := kv.Get("app/a", &api.QueryOptions{AllowStale: true}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := kv.Get("app/a", &api.QueryOptions{RequireConsistent: true}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("cas", func(t *testing.T) {
		p, _, _ := kv.Get("app/a", nil)
		ok, _, err := kv.CAS(&api.KVPair{Key: "app/a", Value: []byte("new"), ModifyIndex: p.ModifyIndex + 100}, nil)
		if err != nil || ok {
			t.Fatalf("stale cas: %v %v", ok, err)
		}
		ok, _, err = kv.CAS(&api.KVPair{Key: "app/a", Value: []byte("new"), ModifyIndex: p.ModifyIndex}, nil)
		if err != nil || !ok {
			t.Fatalf("cas: %v %v", ok, err)
		}
		ok, _, err = kv.CAS(&api.KVPair{Key: "fresh", Value: []byte("1")}, nil)
		if err != nil || !ok {
			t.Fatalf("cas create: %v %v", ok, err)
		}
		ok, _, err = kv.CAS(&api.KVPair{Key: "fresh", Value: []byte("2")}, nil)
		if err != nil || ok {
			t.Fatalf("cas create twice: %v %v", ok, err)
		}
		q, _, _ := kv.Get("app/a", nil)
		ok, _, err = kv.DeleteCAS(&api.KVPair{Key: "app/a", ModifyIndex: q.ModifyIndex - 1}, nil)
		if err != nil || ok {
			t.Fatalf("stale delete cas: %v %v", ok, err)
		}
		ok, _, err = kv.DeleteCAS(&api.KVPair{Key: "app/a", ModifyIndex: q.ModifyIndex}, nil)
		if err != nil || !ok {
			t.Fatalf("delete cas: %v %v", ok, err)
		}
	})

	t.Run("acquire release", func(t *testing.T) {
		sess := c.Session()
		id1, _, err := sess.Create(&api.SessionEntry{Name: "one", LockDelay: time.Millisecond}, nil)
		if err != nil {
			t.Fatal(err)
		}
		id2, _, err := sess.Create(&api.SessionEntry{Name: "two"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ok, _, err := kv.Acquire(&api.KVPair{Key: "lock", Value: []byte("me"), Session: id1}, nil)
		if err != nil || !ok {
			t.Fatalf("acquire: %v %v", ok, err)
		}
		ok, _, err = kv.Acquire(&api.KVPair{Key: "lock", Session: id2}, nil)
		if err != nil || ok {
			t.Fatalf("second acquire: %v %v", ok, err)
		}
		p, _, _ := kv.Get("lock", nil)
		if p.Session != id1 || p.LockIndex != 1 || string(p.Value) != "me" {
			t.Fatalf("locked entry %+v", p)
		}
		info, _, err := sess.Info(id1, nil)
		if err != nil || info == nil || info.Name != "one" || info.Node != "api1" || info.Behavior != "release" {
			t.Fatalf("session info %+v %v", info, err)
		}
		ok, _, err = kv.Release(&api.KVPair{Key: "lock", Session: id2}, nil)
		if err != nil || ok {
			t.Fatalf("release by other: %v %v", ok, err)
		}
		ok, _, err = kv.Release(&api.KVPair{Key: "lock", Session: id1}, nil)
		if err != nil || !ok {
			t.Fatalf("release: %v %v", ok, err)
		}
		ok, _, err = kv.Acquire(&api.KVPair{Key: "lock", Session: id2}, nil)
		if err != nil || !ok {
			t.Fatalf("acquire after release: %v %v", ok, err)
		}
		if _, err := sess.Destroy(id2, nil); err != nil {
			t.Fatal(err)
		}
		p, _, _ = kv.Get("lock", nil)
		if p.Session != "" || p.LockIndex != 2 {
			t.Fatalf("entry after destroy %+v", p)
		}
		list, _, err := sess.List(nil)
		if err != nil || len(list) != 1 || list[0].ID != id1 {
			t.Fatalf("sessions %v %v", list, err)
		}
	})

	t.Run("lock helper", func(t *testing.T) {
		l, err := c.LockOpts(&api.LockOptions{Key: "svc/leader", Value: []byte("x"), LockWaitTime: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		lost, err := l.Lock(nil)
		if err != nil || lost == nil {
			t.Fatalf("lock: %v", err)
		}
		if err := l.Unlock(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("delete tree", func(t *testing.T) {
		if _, err := kv.DeleteTree("app/", nil); err != nil {
			t.Fatal(err)
		}
		list, _, err := kv.List("app/", nil)
		if err != nil || len(list) != 0 {
			t.Fatalf("list after delete tree: %v %v", list, err)
		}
	})

	t.Run("blocking query wakes on change", func(t *testing.T) {
		_, meta, err := kv.Get("watched", nil)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan *api.KVPair, 1)
		go func() {
			p, _, err := kv.Get("watched", &api.QueryOptions{WaitIndex: meta.LastIndex, WaitTime: 10 * time.Second})
			if err != nil {
				t.Error(err)
			}
			done <- p
		}()
		select {
		case <-done:
			t.Fatal("blocking query returned before any change")
		case <-time.After(100 * time.Millisecond):
		}
		start := time.Now()
		if _, err := kv.Put(&api.KVPair{Key: "watched", Value: []byte("now")}, nil); err != nil {
			t.Fatal(err)
		}
		p := <-done
		if p == nil || !bytes.Equal(p.Value, []byte("now")) || time.Since(start) > 5*time.Second {
			t.Fatalf("woke with %+v after %v", p, time.Since(start))
		}
		_, meta, _ = kv.Get("watched", &api.QueryOptions{WaitIndex: 1 << 40, WaitTime: 50 * time.Millisecond})
		if meta.LastIndex == 0 {
			t.Fatal("timed-out blocking query returned index 0")
		}
	})

	t.Run("txn", func(t *testing.T) {
		ok, resp, _, err := kv.Txn(api.KVTxnOps{
			{Verb: api.KVSet, Key: "t/a", Value: []byte("1")},
			{Verb: api.KVCheckNotExists, Key: "t/b"},
			{Verb: api.KVGet, Key: "t/a"},
			{Verb: api.KVGetTree, Key: "t/"},
		}, nil)
		if err != nil || !ok || len(resp.Results) != 3 {
			t.Fatalf("txn: %v %+v %v", ok, resp, err)
		}
		ok, resp, _, err = kv.Txn(api.KVTxnOps{
			{Verb: api.KVSet, Key: "t/c", Value: []byte("1")},
			{Verb: api.KVCheckNotExists, Key: "t/a"},
		}, nil)
		if err != nil || ok || len(resp.Errors) != 1 || resp.Errors[0].OpIndex != 1 {
			t.Fatalf("failing txn: %v %+v %v", ok, resp, err)
		}
		if p, _, _ := kv.Get("t/c", nil); p != nil {
			t.Fatal("failed txn left t/c")
		}
	})

	t.Run("status and agent", func(t *testing.T) {
		leader, err := c.Status().Leader()
		if err != nil || leader != a.config.BindAddr+":8300" {
			t.Fatalf("leader %q %v", leader, err)
		}
		peers, err := c.Status().Peers()
		if err != nil || len(peers) != 1 || peers[0] != leader {
			t.Fatalf("peers %v %v", peers, err)
		}
		name, err := c.Agent().NodeName()
		if err != nil || name != "api1" {
			t.Fatalf("node name %q %v", name, err)
		}
		self, err := c.Agent().Self()
		if err != nil || self["Config"]["Datacenter"] != "dc1" {
			t.Fatalf("self %v %v", self["Config"], err)
		}
		members, err := c.Agent().Members(false)
		if err != nil || len(members) != 1 || members[0].Name != "api1" || members[0].Tags["role"] != "consul" || members[0].Status != 1 {
			t.Fatalf("members %+v %v", members, err)
		}
	})
}
