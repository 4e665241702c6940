package agent

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/memberlist"
	"github.com/hashicorp/serf/serf"
)

// Gossip protocol versions advertised in tags, as Consul's.
const (
	protocolVersion    = "2"
	protocolVersionMin = "2"
	protocolVersionMax = "3"
)

func (a *Agent) tags() map[string]string {
	c := a.config
	t := map[string]string{
		"role": "node", "dc": c.Datacenter, "segment": "", "id": a.nodeID(),
		"vsn": protocolVersion, "vsn_min": protocolVersionMin, "vsn_max": protocolVersionMax,
		"build": Version + ":" + Revision,
	}
	if c.Server {
		t["role"] = "consul"
		t["port"] = strconv.Itoa(c.Ports.Server)
		t["raft_vsn"] = "3"
		if c.Bootstrap || c.DevMode {
			t["bootstrap"] = "1"
		}
		if c.BootstrapExpect > 0 {
			t["expect"] = strconv.Itoa(c.BootstrapExpect)
		}
	}
	return t
}

// nodeID is a UUID kept in DataDir/node-id so it survives restarts.
func (a *Agent) nodeID() string {
	if a.config.DevMode {
		return newUUID()
	}
	path := filepath.Join(a.config.DataDir, "node-id")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 36 {
		return string(b[:36])
	}
	id := newUUID()
	if err := os.WriteFile(path, []byte(id), 0o600); err != nil {
		a.logger.Warn("cannot persist node ID", "error", err)
	}
	return id
}

func (a *Agent) setupSerf() error {
	c := a.config
	conf := serf.DefaultConfig()
	conf.Init()
	conf.NodeName = c.NodeName
	conf.Tags = a.tags()
	std := a.logger.StandardLogger(&hclog.StandardLoggerOptions{InferLevels: true})
	conf.Logger = std
	ml := memberlist.DefaultLANConfig()
	ml.Logger = std
	ml.BindAddr = c.BindAddr
	ml.BindPort = c.Ports.SerfLAN
	ml.AdvertiseAddr = c.AdvertiseAddr
	ml.AdvertisePort = c.Ports.SerfLAN
	g := c.Gossip
	setDur(&ml.GossipInterval, g.GossipInterval)
	setDur(&ml.ProbeInterval, g.ProbeInterval)
	setDur(&ml.ProbeTimeout, g.ProbeTimeout)
	setDur(&ml.PushPullInterval, g.PushPullInterval)
	setDur(&ml.TCPTimeout, g.TCPTimeout)
	if g.SuspicionMult > 0 {
		ml.SuspicionMult = g.SuspicionMult
	}
	setDur(&conf.ReapInterval, g.ReapInterval)
	setDur(&conf.ReconnectInterval, g.ReconnectInterval)
	setDur(&conf.LeavePropagateDelay, g.LeavePropagateDelay)
	if c.EncryptKey != "" {
		key, err := base64.StdEncoding.DecodeString(c.EncryptKey)
		if err != nil {
			return fmt.Errorf("invalid encryption key: %w", err)
		}
		if err := memberlist.ValidateKey(key); err != nil {
			return fmt.Errorf("invalid encryption key: %w", err)
		}
		ml.SecretKey = key
	}
	conf.MemberlistConfig = ml
	if !c.DevMode {
		dir := filepath.Join(c.DataDir, "serf")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create serf directory: %w", err)
		}
		conf.SnapshotPath = filepath.Join(dir, "local.snapshot")
	}
	a.eventCh = make(chan serf.Event, 256)
	conf.EventCh = a.eventCh
	s, err := serf.Create(conf)
	if err != nil {
		return fmt.Errorf("start gossip on %s:%d: %w", c.BindAddr, c.Ports.SerfLAN, err)
	}
	a.serf = s
	a.wg.Add(1)
	go a.handleEvents()
	return nil
}

func setDur(dst *time.Duration, v time.Duration) {
	if v > 0 {
		*dst = v
	}
}

// handleEvents reacts to membership changes: log servers coming and
// going, let the leader reconcile raft, and try bootstrap-expect.
func (a *Agent) handleEvents() {
	defer a.wg.Done()
	for {
		select {
		case e := <-a.eventCh:
			me, ok := e.(serf.MemberEvent)
			if !ok {
				continue
			}
			for _, m := range me.Members {
				p, isServer := serverPart(m, a.config.Datacenter)
				if !isServer {
					continue
				}
				switch me.Type {
				case serf.EventMemberJoin:
					a.logger.Info(fmt.Sprintf("consul: adding LAN server %s (Addr: %s) (DC: %s)", m.Name, p.addr, a.config.Datacenter))
				case serf.EventMemberLeave, serf.EventMemberFailed, serf.EventMemberReap:
					a.logger.Info(fmt.Sprintf("consul: removing LAN server %s (Addr: %s) (DC: %s)", m.Name, p.addr, a.config.Datacenter))
				}
			}
			if s := a.server; s != nil {
				s.triggerReconcile()
				if me.Type == serf.EventMemberJoin {
					s.maybeBootstrap()
				}
			}
		case <-a.shutdownCh:
			return
		}
	}
}

// Join contacts the given gossip addresses (host or host:port; port
// defaults to the LAN port) and returns how many answered.
func (a *Agent) Join(addrs []string) (int, error) {
	var list []string
	for _, ad := range addrs {
		if _, _, err := net.SplitHostPort(ad); err != nil {
			ad = net.JoinHostPort(ad, strconv.Itoa(a.config.Ports.SerfLAN))
		}
		list = append(list, ad)
	}
	a.logger.Info(fmt.Sprintf("agent: (LAN) joining: %v", list))
	n, err := a.serf.Join(list, true)
	if n > 0 {
		a.logger.Info(fmt.Sprintf("agent: (LAN) joined: %d", n))
		return n, nil
	}
	if err == nil {
		err = errors.New("no node answered")
	}
	return 0, fmt.Errorf("join %v: %w", addrs, err)
}

func (a *Agent) retryJoin() {
	defer a.wg.Done()
	for attempt := 1; ; attempt++ {
		if _, err := a.Join(a.config.RetryJoin); err == nil {
			a.logger.Info("agent: Join completed. Synced with initial agents")
			return
		} else {
			a.logger.Warn(fmt.Sprintf("agent: Join failed: %v, retrying in %v", err, a.config.RetryInterval))
		}
		select {
		case <-time.After(a.config.RetryInterval):
		case <-a.shutdownCh:
			return
		}
	}
}

// Members returns gossip's view of every agent.
func (a *Agent) Members() []serf.Member { return a.serf.Members() }

// LocalMember is this agent's own gossip entry.
func (a *Agent) LocalMember() serf.Member { return a.serf.LocalMember() }

// servers lists alive servers of our datacenter in random order.
func (a *Agent) servers() []string {
	var out []string
	for _, m := range a.serf.Members() {
		if p, ok := serverPart(m, a.config.Datacenter); ok && m.Status == serf.StatusAlive {
			out = append(out, p.addr)
		}
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// RPC runs a server RPC: in-process on servers, otherwise on a known
// server, trying others while servers are unreachable.
func (a *Agent) RPC(method string, args, reply any) error {
	if s := a.server; s != nil {
		return s.call(method, args, reply)
	}
	deadline := time.Now().Add(a.config.RPCHoldTimeout)
	for {
		servers := a.servers()
		var lastErr error = errors.New("No known Consul servers")
		for _, addr := range servers {
			err := a.pool.call(addr, method, args, reply)
			if !retryable(err, method) {
				return unwrapServerError(err)
			}
			lastErr = err
		}
		if time.Now().After(deadline) {
			return lastErr
		}
		select {
		case <-time.After(50 * time.Millisecond):
		case <-a.shutdownCh:
			return lastErr
		}
	}
}
