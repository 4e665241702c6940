// Package agent is a Consul-compatible registry agent usable as a library.
//
// An Agent is a server (raft member holding the replicated KV state under
// DataDir) or a client (no data; every request goes to a server). Start
// one with New(cfg) then Start; stop it with Leave (graceful) then
// Shutdown. DefaultConfig has Consul's defaults; TestConfig has
// millisecond timers for in-process clusters on 127.0.0.x.
//
// Ports (Consul's): 8300 server port on the bind address, one TCP
// listener multiplexed by the first byte of each connection (0: the
// agent's net/rpc used for forwarding to the leader, 1: raft); 8301 LAN
// gossip (serf/memberlist, TCP+UDP) on the bind address; 8500 HTTP API
// on the client address; 8600 DNS (UDP+TCP) on the client address, node
// and server lookups only. 8302 (WAN) is only reported: there is no WAN
// pool.
//
// Raft's log and stable store is bbolt (package boltstore) at
// DataDir/raft/raft.db, snapshots in DataDir/raft/snapshots; serf keeps
// its rejoin snapshot in DataDir/serf; DataDir/agent.lock (flock) keeps a
// second agent off the same data dir.
package agent

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	"github.com/hashicorp/serf/serf"
)

// Agent is one running registry agent.
type Agent struct {
	config *Config
	logger hclog.Logger

	lock    *os.File // flock on DataDir, one agent per data dir
	server  *server  // nil on clients
	serf    *serf.Serf
	eventCh chan serf.Event
	pool    *pool

	httpLn  net.Listener
	httpSrv *http.Server
	dns     *dnsServer

	shutdownMu sync.Mutex
	started    bool // Start succeeded
	shutdown   bool
	shutdownCh chan struct{}
	wg         sync.WaitGroup
}

// New checks the config and returns an agent ready to Start.
func New(c *Config) (*Agent, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	level := hclog.LevelFromString(c.LogLevel)
	if level == hclog.NoLevel {
		return nil, fmt.Errorf("invalid log level %q: want trace, debug, info, warn or err", c.LogLevel)
	}
	logger := hclog.New(&hclog.LoggerOptions{Level: level, Output: &levelWriter{out: c.LogOutput}, TimeFormat: "2006/01/02 15:04:05"})
	return &Agent{config: c, logger: logger, shutdownCh: make(chan struct{}), pool: newPool(5 * time.Second)}, nil
}

// Config returns the agent's (validated) configuration.
func (a *Agent) Config() *Config { return a.config }

// Logger is the agent's logger.
func (a *Agent) Logger() hclog.Logger { return a.logger }

// Start takes the data-dir lock, binds every listener, then starts raft
// (servers), gossip and the HTTP API. On error nothing is left running.
func (a *Agent) Start() (err error) {
	c := a.config
	defer func() {
		if err != nil {
			a.Shutdown()
		}
	}()
	if !c.DevMode {
		if err := a.lockDataDir(); err != nil {
			return err
		}
	}
	httpAddr := net.JoinHostPort(c.ClientAddr, strconv.Itoa(c.Ports.HTTP))
	if a.httpLn, err = net.Listen("tcp", httpAddr); err != nil {
		return fmt.Errorf("start HTTP listener on %s: %w", httpAddr, err)
	}
	if c.Server {
		srvAddr := net.JoinHostPort(c.BindAddr, strconv.Itoa(c.Ports.Server))
		ln, err := net.Listen("tcp", srvAddr)
		if err != nil {
			return fmt.Errorf("start server RPC listener on %s: %w", srvAddr, err)
		}
		if a.server, err = newServer(a, ln); err != nil {
			ln.Close()
			return err
		}
	}
	if err := a.setupSerf(); err != nil {
		return err
	}
	if err := a.startDNS(); err != nil {
		return err
	}
	a.httpSrv = &http.Server{Handler: a.httpHandler(), ReadHeaderTimeout: 10 * time.Second}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if err := a.httpSrv.Serve(a.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("HTTP server failed", "error", err)
		}
	}()
	if len(c.StartJoin) > 0 {
		if _, err := a.Join(c.StartJoin); err != nil {
			return err
		}
	}
	if len(c.RetryJoin) > 0 {
		a.wg.Add(1)
		go a.retryJoin()
	}
	a.started = true
	return nil
}

// lockDataDir creates DataDir and holds an exclusive flock on a file in it
// for the agent's lifetime, so a second agent on the same dir refuses.
func (a *Agent) lockDataDir() error {
	dir := a.config.DataDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	probe := filepath.Join(dir, ".write-test")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", dir, err)
	}
	os.Remove(probe)
	f, err := lockFile(filepath.Join(dir, "agent.lock"))
	if err != nil {
		return err
	}
	a.lock = f
	return nil
}

// ShutdownCh is closed when the agent has shut down (for example after
// an HTTP /v1/agent/leave).
func (a *Agent) ShutdownCh() <-chan struct{} { return a.shutdownCh }

// Shutdown stops everything without telling the cluster (others see a
// failure). It is safe to call more than once.
func (a *Agent) Shutdown() error {
	a.shutdownMu.Lock()
	defer a.shutdownMu.Unlock()
	if a.shutdown {
		return nil
	}
	a.shutdown = true
	if a.httpSrv != nil {
		a.httpSrv.Close()
	} else if a.httpLn != nil {
		a.httpLn.Close()
	}
	if a.dns != nil {
		a.dns.close()
	}
	if a.serf != nil {
		if err := a.serf.Shutdown(); err != nil {
			a.logger.Warn("serf shutdown failed", "error", err)
		}
	}
	close(a.shutdownCh)
	if a.server != nil {
		a.server.close()
	}
	a.pool.close()
	a.wg.Wait()
	if a.lock != nil {
		a.lock.Close()
	}
	if a.started {
		a.logger.Info("agent: shutdown complete")
	}
	return nil
}

// Leave tells the cluster this agent is going away: a server first leaves
// raft membership, then the agent leaves gossip. Call Shutdown after.
func (a *Agent) Leave() error {
	a.logger.Info("agent: Requesting graceful leave")
	if s := a.server; s != nil {
		s.leaveRaft()
	}
	if a.serf != nil && a.serf.State() == serf.SerfAlive {
		if err := a.serf.Leave(); err != nil {
			return fmt.Errorf("leave gossip: %w", err)
		}
	}
	return nil
}

// leaveRaft removes this server from the raft configuration when other
// servers remain, so they keep a quorum without it. A leader removes
// itself; a follower leaves gossip first and waits for the leader to
// remove it.
func (s *server) leaveRaft() {
	f := s.raft.GetConfiguration()
	if f.Error() != nil || len(f.Configuration().Servers) <= 1 {
		return
	}
	self := raft.ServerID(s.a.config.NodeName)
	if s.isLeader() {
		if err := s.raft.RemoveServer(self, 0, 0).Error(); err != nil {
			s.logger.Warn("failed to remove ourself as raft peer", "error", err)
		}
		return
	}
	if s.a.serf != nil {
		if err := s.a.serf.Leave(); err != nil {
			s.logger.Warn("leave gossip failed", "error", err)
		}
	}
	deadline := time.Now().Add(10 * s.a.config.Raft.HeartbeatTimeout)
	for time.Now().Before(deadline) {
		f := s.raft.GetConfiguration()
		if f.Error() == nil && !hasServer(f.Configuration().Servers, self) {
			return
		}
		time.Sleep(s.a.config.Raft.HeartbeatTimeout / 4)
	}
	s.logger.Warn("timed out waiting to be removed from raft peers")
}

func hasServer(servers []raft.Server, id raft.ServerID) bool {
	for _, srv := range servers {
		if srv.ID == id {
			return true
		}
	}
	return false
}

// HTTPAddr is the address the HTTP API listens on (ip:port).
func (a *Agent) HTTPAddr() string { return a.httpLn.Addr().String() }

// Reload applies what can change while running (the log level) from a
// freshly built config, and names settings that need a restart.
func (a *Agent) Reload(c *Config) error {
	out := c.LogOutput
	if err := c.Validate(); err != nil {
		return err
	}
	c.LogOutput = out
	level := hclog.LevelFromString(c.LogLevel)
	if level == hclog.NoLevel {
		return fmt.Errorf("invalid log level %q: want trace, debug, info, warn or err", c.LogLevel)
	}
	a.logger.SetLevel(level)
	a.config.LogLevel = c.LogLevel
	if c.NodeName != a.config.NodeName || c.DataDir != a.config.DataDir || c.Server != a.config.Server ||
		c.BindAddr != a.config.BindAddr || c.ClientAddr != a.config.ClientAddr || c.Ports != a.config.Ports {
		a.logger.Warn("agent: node name, data dir, server mode, addresses and ports change only on restart")
	}
	a.logger.Info("agent: Reloaded configuration", "log_level", c.LogLevel)
	return nil
}
