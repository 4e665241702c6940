package agent

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gossible/gossible/agent/boltstore"
	"github.com/gossible/gossible/agent/kv"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// ErrNoLeader is returned when no leader is known within RPCHoldTimeout.
var ErrNoLeader = errors.New("No cluster leader")

// errNotLeader means raft refused a command before appending it because
// leadership moved: safe to send again to the new leader.
var errNotLeader = errors.New("node is not the leader")

// server is the raft side of a server agent.
type server struct {
	a        *Agent
	logger   hclog.Logger
	raft     *raft.Raft
	store    *kv.Store
	trans    *raft.NetworkTransport
	mux      *muxListener
	rpcSrv   *rpc.Server
	closers  []io.Closer
	addr     string // advertised ip:port of the server port
	sessions *sessionTimers

	// readyReads is set once this leader's FSM has applied everything
	// committed before its term (after the leader barrier); leader reads
	// wait for it so they never miss an acknowledged write.
	readyReads  atomic.Bool
	failedSince map[string]time.Time // server name -> first seen failed (leader loop only)
	reconcile   chan struct{}
	shutdownCh  chan struct{}
	wg          sync.WaitGroup
}

// newServer listens on the server port and starts raft.
func newServer(a *Agent, ln net.Listener) (*server, error) {
	c := a.config
	s := &server{
		a: a, logger: a.logger.Named("consul"), store: kv.NewStore(),
		addr:        net.JoinHostPort(c.AdvertiseAddr, strconv.Itoa(c.Ports.Server)),
		reconcile:   make(chan struct{}, 1),
		failedSince: map[string]time.Time{},
		shutdownCh:  make(chan struct{}),
	}
	s.sessions = newSessionTimers(s)
	s.rpcSrv = rpc.NewServer()
	for name, ep := range map[string]any{"KVS": &kvsEndpoint{s}, "Status": &statusEndpoint{s},
		"Session": &sessionEndpoint{s}, "Txn": &txnEndpoint{s}} {
		if err := s.rpcSrv.RegisterName(name, ep); err != nil {
			return nil, fmt.Errorf("register %s endpoint: %w", name, err)
		}
	}
	adv, err := net.ResolveTCPAddr("tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("resolve advertise address %s: %w", s.addr, err)
	}
	layer := newRaftLayer(adv)
	s.mux = &muxListener{ln: ln, raft: layer, rpc: func(c net.Conn) { s.rpcSrv.ServeConn(c) }, conns: map[net.Conn]struct{}{}}
	go s.mux.serve()
	s.trans = raft.NewNetworkTransportWithConfig(&raft.NetworkTransportConfig{
		Stream: layer, MaxPool: 3, Timeout: 10 * time.Second, Logger: a.logger.Named("raft"),
	})
	if err := s.setupRaft(); err != nil {
		s.close()
		return nil, err
	}
	s.wg.Add(2)
	go s.monitorLeadership()
	go s.observeLeader()
	return s, nil
}

func (s *server) setupRaft() error {
	c := s.a.config
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(c.NodeName)
	rc.Logger = s.a.logger.Named("raft")
	rc.HeartbeatTimeout = c.Raft.HeartbeatTimeout
	rc.ElectionTimeout = c.Raft.ElectionTimeout
	rc.LeaderLeaseTimeout = c.Raft.LeaderLeaseTimeout
	rc.CommitTimeout = c.Raft.CommitTimeout
	rc.SnapshotThreshold = c.SnapshotThreshold
	rc.ShutdownOnRemove = false

	var logs raft.LogStore
	var stable raft.StableStore
	var snaps raft.SnapshotStore
	if c.DevMode {
		mem := raft.NewInmemStore()
		logs, stable, snaps = mem, mem, raft.NewInmemSnapshotStore()
	} else {
		dir := filepath.Join(c.DataDir, "raft")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create raft directory: %w", err)
		}
		bs, err := boltstore.Open(filepath.Join(dir, "raft.db"), c.DisableFsync)
		if err != nil {
			return err
		}
		s.closers = append(s.closers, bs)
		fss, err := raft.NewFileSnapshotStoreWithLogger(dir, 2, s.a.logger.Named("raft"))
		if err != nil {
			return fmt.Errorf("create snapshot store: %w", err)
		}
		logs, stable, snaps = bs, bs, fss
	}
	cached, err := raft.NewLogCache(256, logs)
	if err != nil {
		return fmt.Errorf("create log cache: %w", err)
	}
	fsm := kv.NewFSM(s.store)
	if c.Bootstrap || c.DevMode {
		has, err := raft.HasExistingState(cached, stable, snaps)
		if err != nil {
			return fmt.Errorf("read raft state: %w", err)
		}
		if !has {
			conf := raft.Configuration{Servers: []raft.Server{{ID: rc.LocalID, Address: raft.ServerAddress(s.addr)}}}
			if err := raft.BootstrapCluster(rc, cached, stable, snaps, s.trans, conf); err != nil {
				return fmt.Errorf("bootstrap raft: %w", err)
			}
		}
	}
	r, err := raft.NewRaft(rc, fsm, cached, stable, snaps, s.trans)
	if err != nil {
		return fmt.Errorf("start raft: %w", err)
	}
	s.raft = r
	return nil
}

// close stops raft and the listeners; safe on a half-built server.
func (s *server) close() {
	select {
	case <-s.shutdownCh:
		return
	default:
		close(s.shutdownCh)
	}
	if s.raft != nil {
		if err := s.raft.Shutdown().Error(); err != nil {
			s.logger.Warn("raft shutdown failed", "error", err)
		}
	}
	s.sessions.stopAll()
	s.mux.close()
	s.trans.Close()
	s.wg.Wait()
	for _, c := range s.closers {
		c.Close()
	}
}

func (s *server) isLeader() bool { return s.raft.State() == raft.Leader }

// leaderAddr waits up to RPCHoldTimeout for a known leader.
func (s *server) leaderAddr() (string, error) {
	deadline := time.Now().Add(s.a.config.RPCHoldTimeout)
	for {
		if addr, _ := s.raft.LeaderWithID(); addr != "" {
			return string(addr), nil
		}
		if time.Now().After(deadline) {
			return "", ErrNoLeader
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-s.shutdownCh:
			return "", ErrNoLeader
		}
	}
}

// forward sends the call to the leader unless this server is the leader
// (or stale reads are allowed). It reports whether it handled the call.
func (s *server) forward(method string, dc string, stale bool, args, reply any) (bool, error) {
	if dc != "" && dc != s.a.config.Datacenter {
		return true, fmt.Errorf("No path to datacenter")
	}
	if stale {
		return false, nil
	}
	deadline := time.Now().Add(s.a.config.RPCHoldTimeout)
	for {
		if s.isLeader() {
			return false, nil
		}
		addr, err := s.leaderAddr()
		if err != nil {
			return true, err
		}
		if addr == s.addr {
			// Raft names us leader but we have not finished the transition.
			if time.Now().After(deadline) {
				return true, ErrNoLeader
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		err = s.a.pool.call(addr, method, args, reply)
		if retryable(err, method) && time.Now().Before(deadline) {
			// The leader may be gone: wait for raft to notice and retry.
			time.Sleep(20 * time.Millisecond)
			continue
		}
		return true, err
	}
}

// leaderWrite runs fn on the leader: it forwards when this server is not
// the leader, and forwards again when leadership moved before fn's command
// reached the log.
func (s *server) leaderWrite(method, dc string, args, reply any, fn func() error) error {
	deadline := time.Now().Add(s.a.config.RPCHoldTimeout)
	for {
		if done, err := s.forward(method, dc, false, args, reply); done {
			return err
		}
		err := fn()
		if !errors.Is(err, errNotLeader) {
			return err
		}
		if time.Now().After(deadline) {
			return ErrNoLeader
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// apply runs a command through raft on the leader.
func (s *server) apply(c *kv.Command) (kv.Result, error) {
	if c.Now.IsZero() {
		c.Now = time.Now()
	}
	data, err := kv.Encode(c)
	if err != nil {
		return kv.Result{}, err
	}
	f := s.raft.Apply(data, 30*time.Second)
	if err := f.Error(); err != nil {
		if errors.Is(err, raft.ErrNotLeader) {
			return kv.Result{}, errNotLeader
		}
		// ErrLeadershipLost keeps raft's message: the write may still commit.
		return kv.Result{}, err
	}
	res, ok := f.Response().(kv.Result)
	if !ok {
		return kv.Result{}, fmt.Errorf("unexpected raft response %T", f.Response())
	}
	return res, nil
}

// setMeta fills leader knowledge into a query answer.
func (s *server) setMeta(m *QueryMeta) {
	if s.isLeader() {
		m.KnownLeader, m.LastContact = true, 0
		return
	}
	addr, _ := s.raft.LeaderWithID()
	m.KnownLeader = addr != ""
	if lc := s.raft.LastContact(); !lc.IsZero() {
		m.LastContact = time.Since(lc)
	}
}

// waitReadyReads waits (up to RPCHoldTimeout) until this leader has caught
// up with its predecessors' committed writes.
func (s *server) waitReadyReads() error {
	deadline := time.Now().Add(s.a.config.RPCHoldTimeout)
	for !s.readyReads.Load() {
		if !s.isLeader() || time.Now().After(deadline) {
			return errors.New("Not ready to serve consistent reads")
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-s.shutdownCh:
			return ErrNoLeader
		}
	}
	return nil
}

// blockingQuery runs fn until its index passes opts.MinIndex or the wait
// ends; Consul's defaults: 5 minutes, capped at 10, plus jitter.
func (s *server) blockingQuery(opts *QueryOptions, meta *QueryMeta, fn func() uint64) error {
	if !opts.AllowStale {
		if err := s.waitReadyReads(); err != nil {
			return err
		}
	}
	if opts.RequireConsistent {
		if err := s.raft.VerifyLeader().Error(); err != nil {
			return ErrNoLeader
		}
	}
	wait := opts.MaxQueryTime
	if wait <= 0 {
		wait = 5 * time.Minute
	}
	wait = min(wait, 10*time.Minute)
	wait += time.Duration(time.Now().UnixNano() % int64(wait/16+1))
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		ch := s.store.WatchCh()
		idx := fn()
		meta.Index = max(idx, 1)
		s.setMeta(meta)
		if opts.MinIndex == 0 || idx > opts.MinIndex {
			return nil
		}
		select {
		case <-ch:
		case <-timer.C:
			return nil
		case <-s.shutdownCh:
			return errors.New("agent is shutting down")
		}
	}
}
