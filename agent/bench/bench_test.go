package bench

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gossible/gossible/agent"
	"github.com/hashicorp/consul/api"
)

// cluster starts three servers (bootstrap-expect 3) on 127.x.200.1-3 and
// returns them once a leader is known.
func cluster(b *testing.B) []*agent.Agent {
	b.Helper()
	base := fmt.Sprintf("127.%d.200.", 20+os.Getpid()%200)
	var agents []*agent.Agent
	for i := 1; i <= 3; i++ {
		c := agent.TestConfig("bench"+strconv.Itoa(i), base+strconv.Itoa(i), b.TempDir())
		c.Server, c.BootstrapExpect = true, 3
		c.DisableFsync = os.Getenv("BENCH_NOFSYNC") != ""
		a, err := agent.New(c)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { a.Shutdown() })
		agents = append(agents, a)
	}
	for _, a := range agents[1:] {
		if _, err := a.Join([]string{base + "1"}); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var leader string
		err := agents[0].RPC("Status.Leader", &agent.Empty{}, &leader)
		if err == nil && leader != "" {
			if _, err := client(b, agents[0]).KV().Put(&api.KVPair{Key: "warmup"}, nil); err == nil {
				return agents
			}
		}
		if time.Now().After(deadline) {
			b.Fatal(errors.New("no leader after 15s"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func client(b *testing.B, a *agent.Agent) *api.Client {
	c, err := api.NewClient(&api.Config{Address: a.HTTPAddr()})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkKV(b *testing.B) {
	agents := cluster(b)
	kv := client(b, agents[0]).KV()
	val := make([]byte, 128)
	var n atomic.Int64
	b.Run("put", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := kv.Put(&api.KVPair{Key: "k/" + strconv.Itoa(i%1000), Value: val}, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("put-parallel", func(b *testing.B) {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				if _, err := kv.Put(&api.KVPair{Key: "p/" + strconv.FormatInt(i%1000, 10), Value: val}, nil); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	for _, mode := range []struct {
		name string
		q    *api.QueryOptions
	}{
		{"get-default", nil},
		{"get-stale", &api.QueryOptions{AllowStale: true}},
		{"get-consistent", &api.QueryOptions{RequireConsistent: true}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			// Through every agent, so followers forward to the leader.
			kvs := []*api.KV{client(b, agents[0]).KV(), client(b, agents[1]).KV(), client(b, agents[2]).KV()}
			for i := 0; b.Loop(); i++ {
				if _, _, err := kvs[i%3].Get("k/1", mode.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
