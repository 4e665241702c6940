package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// row is the outcome of one timed phase.
type row struct {
	system  string
	op      string // put or get
	size    int
	ops     int
	errs    int
	elapsed time.Duration
	p50     time.Duration
	p99     time.Duration
	runs    int // repeated runs folded into this row (see medians)
}

func (r row) rate() float64 { return float64(r.ops) / r.elapsed.Seconds() }

// benchSystem starts one system's cluster, runs puts then gets for each
// value size, and stops the cluster.
func benchSystem(ctx context.Context, o *options, sys, work string) ([]row, error) {
	if err := os.MkdirAll(work, 0o700); err != nil {
		return nil, fmt.Errorf("create work dir: %w", err)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 4 * o.clients, MaxIdleConnsPerHost: 2 * o.clients}}
	defer hc.CloseIdleConnections()
	var c *cluster
	var api kvAPI
	var err error
	switch sys {
	case "consul":
		if o.consulBin == "" {
			if o.consulBin, err = buildConsul(work); err != nil {
				return nil, err
			}
		}
		if c, err = startConsul(o, work); err != nil {
			return nil, err
		}
		api = &consulKV{hc: hc, urls: c.endpoints}
	case "etcd":
		if c, err = startEtcd(o, work); err != nil {
			return nil, err
		}
		api = &etcdKV{hc: hc, urls: c.endpoints}
	}
	defer c.stop()
	probe := []byte("ready")
	err = c.waitReady(ctx, 60*time.Second, func(ctx context.Context, node int) error {
		if err := api.put(ctx, node, "bench/ready", probe); err != nil {
			return err
		}
		return api.get(ctx, node, "bench/ready", len(probe))
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "%s: 3 servers ready at %v\n", sys, c.endpoints)

	var rows []row
	for _, size := range o.sizes {
		val := make([]byte, size)
		rand.Read(val)
		key := func(i int) string { return fmt.Sprintf("bench/%d/k%06d", size, i%o.keys) }
		puts := runPhase(ctx, o, func(ctx context.Context, client, n int) error {
			return api.put(ctx, client%3, key(client*7919+n), val)
		})
		// Every key must exist before the reads.
		fill := &options{clients: o.clients, duration: time.Hour, maxOps: o.keys}
		var next atomic.Int64
		pre := runPhase(ctx, fill, func(ctx context.Context, client, _ int) error {
			return api.put(ctx, client%3, key(int(next.Add(1)-1)), val)
		})
		if pre.errs > 0 {
			return nil, fmt.Errorf("prefill of %d keys: %d errors", o.keys, pre.errs)
		}
		gets := runPhase(ctx, o, func(ctx context.Context, client, n int) error {
			return api.get(ctx, client%3, key(client*7919+n), size)
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, r := range []*row{&puts, &gets} {
			r.system, r.size = sys, size
		}
		puts.op, gets.op = "put", "get"
		rows = append(rows, puts, gets)
		fmt.Fprintf(os.Stderr, "%s %5d B: put %.0f/s (%d errors), get %.0f/s (%d errors)\n",
			sys, size, puts.rate(), puts.errs, gets.rate(), gets.errs)
	}
	return rows, nil
}

// runPhase runs o.clients loops of op until the duration passes, the op
// budget is spent or ctx ends; client c sends to server c%3.
func runPhase(ctx context.Context, o *options, op func(ctx context.Context, client, n int) error) row {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var budget atomic.Int64
	budget.Store(int64(o.maxOps))
	var mu sync.Mutex
	var lat []time.Duration
	var errs int
	var wg sync.WaitGroup
	start := time.Now()
	for c := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for n := 0; ctx.Err() == nil; n++ {
				if o.maxOps > 0 && budget.Add(-1) < 0 {
					break
				}
				t0 := time.Now()
				err := op(ctx, c, n)
				if ctx.Err() != nil {
					break // cut off by the end of the phase: not counted
				}
				if err != nil {
					bad++
					if bad <= 3 {
						fmt.Fprintf(os.Stderr, "client %d: %v\n", c, err)
					}
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	r := row{ops: len(lat), errs: errs, elapsed: time.Since(start)}
	slices.Sort(lat)
	if len(lat) > 0 {
		r.p50 = lat[len(lat)*50/100]
		r.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return r
}

// medians folds repeated runs into one row per system, op and size, each
// figure the median of its runs; errors are summed.
func medians(rows []row) []row {
	type id struct {
		system, op string
		size       int
	}
	groups := map[id][]row{}
	var order []id
	for _, r := range rows {
		k := id{r.system, r.op, r.size}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	var out []row
	for _, k := range order {
		g := groups[k]
		m := row{system: k.system, op: k.op, size: k.size, runs: len(g)}
		var rates []float64
		var p50s, p99s []time.Duration
		for _, r := range g {
			rates = append(rates, r.rate())
			p50s, p99s = append(p50s, r.p50), append(p99s, r.p99)
			m.errs += r.errs
		}
		// A row's rate is ops/elapsed: keep the median rate over one second.
		m.ops, m.elapsed = int(median(rates)+0.5), time.Second
		m.p50, m.p99 = median(p50s), median(p99s)
		out = append(out, m)
	}
	return out
}

func median[T float64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
