package lincheck

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/consul/api"

	"github.com/gossible/gossible/internal/retry"
)

// burstReaders is how many extra clients read the last write of a dead
// leader while the survivors elect a new one.
const burstReaders = 4

// failLeader stops the leader right after it acknowledges a write of key,
// before followers may have heard that the write is committed, while
// extra clients keep reading that key from the survivors: a new leader
// must not answer a consistent read without the write (Consul guards this
// with a barrier before consistent reads). It returns the stopped server.
func failLeader(t *testing.T, c *cluster, rec *Recorder, key, val string, firstClient int) int {
	t.Helper()
	var leader int
	retry.Until(t, 10*time.Second, func() error {
		var err error
		leader, err = c.leader()
		return err
	})
	in := Input{Kind: Put, Key: key, Value: val}
	call := rec.Now()
	_, err := newClient(c.httpAddr(leader), reqTimeout, nil).KV().Put(&api.KVPair{Key: key, Value: []byte(val)}, nil)
	rec.Record(firstClient, in, call, Output{Unknown: err != nil})
	c.stop(leader)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range burstReaders {
		// Each reader alternates between the two survivors.
		var clients []*api.Client
		var conns []*http.Transport
		for s := range c.ips {
			if s != leader {
				tr := &http.Transport{}
				conns = append(conns, tr)
				clients = append(clients, newClient(c.httpAddr(s), reqTimeout, tr))
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				for _, tr := range conns {
					tr.CloseIdleConnections()
				}
			}()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				call := rec.Now()
				p, _, err := clients[n%len(clients)].KV().Get(key, &api.QueryOptions{RequireConsistent: true})
				if err != nil {
					continue // a failed read changed nothing
				}
				out := Output{}
				if p != nil {
					out = Output{Found: true, Value: string(p.Value)}
				}
				rec.Record(firstClient+1+i, Input{Kind: Get, Key: key}, call, out)
			}
		}()
	}
	retry.Until(t, 10*time.Second, func() error {
		l, err := c.leader()
		if err == nil && l == leader {
			err = errors.New("old leader still named")
		}
		return err
	})
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	return leader
}

// roundKey names key i of round e. Each round works on its own keys, so
// the writes left unknown by one leader failure do not pile up in the
// next round's histories (porcupine's search grows with unknown writes).
func roundKey(e int64, i int) string { return fmt.Sprintf("lin/e%d/k%d", e, i) }
