package lincheck

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/hashicorp/consul/api"
)

// workload sizes: small enough for porcupine to finish in seconds, busy
// enough that operations overlap leader changes.
const (
	numClients = 6
	numKeys    = 3
	phase      = time.Second // load before each stop, and while a server is down
	reqTimeout = 4 * time.Second
	maxThink   = 2 * time.Millisecond // pause between a client's operations
)

// rounds of leader stop and restart; raise it for a longer soak:
// go test ./agent/lincheck -run Linearizable -lincheck.rounds 20
var (
	rounds       = flag.Int("lincheck.rounds", 2, "leader stop/restart rounds in TestLinearizableKV")
	checkTimeout = flag.Duration("lincheck.check-timeout", 30*time.Second, "time porcupine may take")
)

// worker is one client: it talks to one server at a time and moves to the
// next one when its server does not answer.
type worker struct {
	id      int
	rec     *Recorder
	epoch   *atomic.Int64 // the current round
	clients []*api.Client
	conns   []*http.Transport
	cur     int
	rnd     *rand.Rand
	seq     int
	// last is what this worker last read per key, for its CAS requests.
	last map[string]*api.KVPair
	// counts of recorded outcomes, for the log.
	done, pending, dropped int
}

func (w *worker) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		w.one()
		// A short pause keeps the history small enough for porcupine to
		// decide in seconds; overlap comes from the number of clients.
		time.Sleep(time.Duration(w.rnd.IntN(int(maxThink))))
	}
}

// one runs a random operation on a random key and records it.
func (w *worker) one() {
	key := roundKey(w.epoch.Load(), w.rnd.IntN(numKeys))
	kv := w.clients[w.cur].KV()
	w.seq++
	val := fmt.Sprintf("c%d-%d", w.id, w.seq)
	var in Input
	var out Output
	var err error
	call := w.rec.Now()
	switch r := w.rnd.IntN(100); {
	case r < 40:
		in = Input{Kind: Get, Key: key}
		var p *api.KVPair
		p, _, err = kv.Get(key, &api.QueryOptions{RequireConsistent: true})
		if err == nil {
			w.last[key] = p
			if p != nil {
				out = Output{Found: true, Value: string(p.Value)}
			}
		}
	case r < 65:
		in = Input{Kind: Put, Key: key, Value: val}
		_, err = kv.Put(&api.KVPair{Key: key, Value: []byte(val)}, nil)
	case r < 90:
		in = Input{Kind: CAS, Key: key, Value: val, ExpectAbsent: true}
		p := &api.KVPair{Key: key, Value: []byte(val)}
		if prev := w.last[key]; prev != nil {
			in.Expect, in.ExpectAbsent = string(prev.Value), false
			p.ModifyIndex = prev.ModifyIndex
		}
		out.OK, _, err = kv.CAS(p, nil)
	default:
		in = Input{Kind: Delete, Key: key}
		_, err = kv.Delete(key, nil)
	}
	switch {
	case err == nil:
		w.done++
		w.rec.Record(w.id, in, call, out)
	case notSent(err) || in.Kind == Get:
		// A request that never reached a server, or a failed read,
		// changed nothing: leave it out of the history.
		w.dropped++
		w.cur = (w.cur + 1) % len(w.clients)
	default:
		// The write may or may not have happened.
		w.pending++
		w.rec.Record(w.id, in, call, Output{Unknown: true})
		w.cur = (w.cur + 1) % len(w.clients)
	}
}

// notSent reports a failure to connect: the request never left.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// TestLinearizableKV runs concurrent clients against a 3-server cluster
// while its leader is stopped and restarted (-lincheck.rounds times), then
// checks the history with porcupine.
func TestLinearizableKV(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping cluster run in -short mode")
	}
	c := newCluster(t)
	c.waitReady(20 * time.Second)

	rec := NewRecorder()
	var epoch atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	workers := make([]*worker, numClients)
	for i := range workers {
		w := &worker{id: i, rec: rec, epoch: &epoch, cur: i % 3, last: map[string]*api.KVPair{},
			rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(i)))}
		for s := range c.ips {
			tr := &http.Transport{MaxIdleConnsPerHost: 2}
			w.conns = append(w.conns, tr)
			w.clients = append(w.clients, newClient(c.httpAddr(s), reqTimeout, tr))
		}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(stop)
		}()
	}

	// Each round: stop the leader, let the others elect, start it again
	// on its data dir and let it catch up.
	started := time.Now()
	for round := range *rounds {
		epoch.Store(int64(round))
		time.Sleep(phase)
		leader := failLeader(t, c, rec, roundKey(int64(round), 0), fmt.Sprintf("kill-%d", round), numClients)
		t.Logf("round %d: stopped leader srv%d at %v", round+1, leader+1, time.Since(started).Round(time.Millisecond))
		time.Sleep(phase)
		c.start(leader)
		t.Logf("round %d: restarted srv%d at %v", round+1, leader+1, time.Since(started).Round(time.Millisecond))
	}
	time.Sleep(phase)
	close(stop)
	wg.Wait()
	var done, pending, dropped int
	for _, w := range workers {
		done, pending, dropped = done+w.done, pending+w.pending, dropped+w.dropped
		for _, tr := range w.conns {
			tr.CloseIdleConnections()
		}
	}
	ops := rec.Operations()
	t.Logf("history: %d operations (%d answered, %d unknown writes, %d not sent or failed reads dropped)",
		len(ops), done, pending, dropped)
	if done < 100 {
		t.Fatalf("only %d answered operations: the cluster was not serving", done)
	}

	checkStart := time.Now()
	res, info := Check(ops, *checkTimeout)
	t.Logf("porcupine answered %s in %v", res, time.Since(checkStart).Round(time.Millisecond))
	switch res {
	case porcupine.Ok:
		t.Logf("linearizable")
	case porcupine.Unknown:
		t.Logf("porcupine timed out: linearizability not decided for %d operations", len(ops))
	default:
		path, err := WriteVisualization(info, "")
		if err != nil {
			t.Fatalf("history is not linearizable; %v", err)
		}
		t.Fatalf("history is not linearizable; visualization: %s", path)
	}
}
