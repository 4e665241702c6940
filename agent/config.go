package agent

import (
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/hashicorp/memberlist"
)

// Default ports, as Consul's.
const (
	DefaultServerPort = 8300 // server RPC and raft (one multiplexed listener)
	DefaultSerfLAN    = 8301 // LAN gossip, TCP and UDP
	DefaultSerfWAN    = 8302 // WAN gossip (reported only; no WAN pool)
	DefaultHTTPPort   = 8500 // HTTP API on the client address
	DefaultDNSPort    = 8600 // DNS interface (node and server lookups)
)

// Version is the Consul version this agent reports; set with -ldflags -X.
var Version = "1.21.0"

// Revision is the source revision; set with -ldflags -X.
var Revision = "gossible"

// Config is everything an agent needs. The CLI fills it from flags and
// config files; library users start from DefaultConfig or TestConfig.
type Config struct {
	// NodeName names this agent in the cluster; unique per cluster.
	NodeName string
	// Datacenter is the datacenter name; requests for another one fail.
	Datacenter string
	// DataDir holds raft data, the serf snapshot, the node ID and the lock
	// file. Required unless DevMode.
	DataDir string
	// DevMode keeps everything in memory (no DataDir) and bootstraps a
	// single server, like `consul agent -dev`.
	DevMode bool
	// Server makes the agent a raft member holding the data; clients
	// forward every request to a server.
	Server bool
	// Bootstrap lets a server elect itself alone (a one-server cluster).
	Bootstrap bool
	// BootstrapExpect waits for this many servers, then bootstraps them
	// together. 0 disables; conflicts with Bootstrap.
	BootstrapExpect int
	// BindAddr is the cluster address: gossip and server RPC listen here.
	BindAddr string
	// AdvertiseAddr is the address given to other nodes; BindAddr if empty.
	AdvertiseAddr string
	// ClientAddr is where the HTTP API listens.
	ClientAddr string
	// Ports of each listener; see the Default*Port constants.
	Ports Ports
	// StartJoin are addresses joined once at start; failure stops the start.
	StartJoin []string
	// RetryJoin are addresses joined at start, retried every RetryInterval
	// until one join succeeds.
	RetryJoin []string
	// RetryInterval is the wait between RetryJoin attempts.
	RetryInterval time.Duration
	// EncryptKey is the base64 gossip key (16, 24 or 32 bytes); empty: none.
	EncryptKey string
	// UI serves the web UI directory at /ui/ (UIDir, or a placeholder page).
	UI bool
	// UIDir is a directory of web UI files served at /ui/.
	UIDir string
	// KVMaxValueSize is the largest accepted value in bytes (Consul: 512 KiB).
	KVMaxValueSize int64
	// TxnMaxOps is the largest number of operations in one /v1/txn.
	TxnMaxOps int
	// LogLevel is trace, debug, info, warn or err.
	LogLevel string
	// LogOutput receives the log; os.Stderr when nil.
	LogOutput io.Writer
	// RaftTimeouts tunes raft; millisecond values make test clusters fast.
	Raft RaftTiming
	// Gossip tunes serf and memberlist.
	Gossip GossipTiming
	// RPCHoldTimeout is how long a request waits for a leader or a server
	// before failing with "No cluster leader".
	RPCHoldTimeout time.Duration
	// ReconcileInterval is how often the leader matches raft membership
	// with the servers gossip knows.
	ReconcileInterval time.Duration
	// DeadServerCleanup is how long a server must stay failed in gossip
	// before the leader removes it from raft (autopilot's dead server
	// cleanup); it is added back when it returns.
	DeadServerCleanup time.Duration
	// SessionTTLMultiplier scales a session's TTL before it is invalidated.
	SessionTTLMultiplier int
	// SessionTTLMin is the shortest session TTL accepted (Consul: 10s).
	SessionTTLMin time.Duration
	// DisableFsync skips fsync of the raft log (tests only: unsafe).
	DisableFsync bool
	// SnapshotThreshold is the number of raft logs between snapshots.
	SnapshotThreshold uint64
}

// Ports are the listener ports.
type Ports struct {
	Server  int // server RPC + raft
	SerfLAN int // LAN gossip
	SerfWAN int // WAN gossip (reported only)
	HTTP    int // HTTP API
	DNS     int // DNS interface; 0 or -1 disables
}

// RaftTiming are raft's timers.
type RaftTiming struct {
	HeartbeatTimeout   time.Duration
	ElectionTimeout    time.Duration
	LeaderLeaseTimeout time.Duration
	CommitTimeout      time.Duration
}

// GossipTiming are serf/memberlist timers; zero fields keep memberlist's
// LAN defaults.
type GossipTiming struct {
	GossipInterval      time.Duration
	ProbeInterval       time.Duration
	ProbeTimeout        time.Duration
	PushPullInterval    time.Duration
	SuspicionMult       int
	ReapInterval        time.Duration
	ReconnectInterval   time.Duration
	LeavePropagateDelay time.Duration
	TCPTimeout          time.Duration
}

// DefaultConfig returns Consul's defaults: dc1, client on 127.0.0.1,
// standard ports, production raft timers.
func DefaultConfig() *Config {
	host, _ := os.Hostname()
	return &Config{
		NodeName:   host,
		Datacenter: "dc1",
		ClientAddr: "127.0.0.1",
		Ports: Ports{Server: DefaultServerPort, SerfLAN: DefaultSerfLAN, SerfWAN: DefaultSerfWAN,
			HTTP: DefaultHTTPPort, DNS: DefaultDNSPort},
		RetryInterval:  30 * time.Second,
		KVMaxValueSize: 512 * 1024,
		TxnMaxOps:      128,
		LogLevel:       "info",
		Raft: RaftTiming{HeartbeatTimeout: time.Second, ElectionTimeout: time.Second,
			LeaderLeaseTimeout: 500 * time.Millisecond, CommitTimeout: 50 * time.Millisecond},
		RPCHoldTimeout:       7 * time.Second,
		ReconcileInterval:    60 * time.Second,
		SessionTTLMultiplier: 2,
		SessionTTLMin:        10 * time.Second,
		DeadServerCleanup:    30 * time.Second,
		SnapshotThreshold:    8192,
	}
}

// TestConfig returns a config for an in-process agent on ip (a loopback
// address such as 127.0.0.2) with millisecond timers and no fsync.
func TestConfig(name, ip, dataDir string) *Config {
	c := DefaultConfig()
	c.NodeName = name
	c.BindAddr = ip
	c.ClientAddr = ip
	c.DataDir = dataDir
	c.LogLevel = "warn"
	c.LogOutput = io.Discard
	c.RetryInterval = 50 * time.Millisecond
	// Short enough for fast tests, long enough that a loaded machine under
	// -race does not make leaders step down.
	c.Raft = RaftTiming{HeartbeatTimeout: 300 * time.Millisecond, ElectionTimeout: 300 * time.Millisecond,
		LeaderLeaseTimeout: 200 * time.Millisecond, CommitTimeout: 5 * time.Millisecond}
	c.Gossip = GossipTiming{GossipInterval: 20 * time.Millisecond, ProbeInterval: 200 * time.Millisecond,
		ProbeTimeout: 100 * time.Millisecond, PushPullInterval: time.Second, SuspicionMult: 3,
		ReapInterval: time.Second, ReconnectInterval: 100 * time.Millisecond,
		LeavePropagateDelay: 10 * time.Millisecond, TCPTimeout: time.Second}
	c.RPCHoldTimeout = 3 * time.Second
	c.ReconcileInterval = 100 * time.Millisecond
	c.SessionTTLMin = 10 * time.Millisecond
	c.DeadServerCleanup = time.Second
	c.DisableFsync = true
	return c
}

// Validate checks the config and fills derived defaults.
func (c *Config) Validate() error {
	if c.NodeName == "" {
		return fmt.Errorf("node name is empty: set -node")
	}
	if c.Datacenter == "" {
		c.Datacenter = "dc1"
	}
	if c.DataDir == "" && !c.DevMode {
		return fmt.Errorf("must specify data directory using -data-dir")
	}
	if c.Bootstrap && c.BootstrapExpect > 0 {
		return fmt.Errorf("bootstrap and bootstrap-expect are mutually exclusive")
	}
	if (c.Bootstrap || c.BootstrapExpect > 0) && !c.Server {
		return fmt.Errorf("bootstrap and bootstrap-expect require server mode (-server)")
	}
	if c.BootstrapExpect == 1 {
		// As Consul: expecting one server is the same as bootstrap mode.
		c.Bootstrap, c.BootstrapExpect = true, 0
	}
	if c.BootstrapExpect < 0 {
		return fmt.Errorf("bootstrap-expect must be positive, got %d", c.BootstrapExpect)
	}
	if c.BindAddr == "" {
		c.BindAddr = "0.0.0.0"
	}
	if c.AdvertiseAddr == "" {
		c.AdvertiseAddr = c.BindAddr
	}
	if ip := net.ParseIP(c.AdvertiseAddr); ip == nil || ip.IsUnspecified() {
		addr, err := privateIP()
		if err != nil {
			return fmt.Errorf("cannot pick an address to advertise (bind %s): %w; set -bind or -advertise", c.BindAddr, err)
		}
		c.AdvertiseAddr = addr
	}
	if c.EncryptKey != "" {
		key, err := base64.StdEncoding.DecodeString(c.EncryptKey)
		if err == nil {
			err = memberlist.ValidateKey(key)
		}
		if err != nil {
			return fmt.Errorf("invalid encryption key (-encrypt wants base64 of 16, 24 or 32 bytes): %w", err)
		}
	}
	if c.ClientAddr == "" {
		c.ClientAddr = "127.0.0.1"
	}
	if c.KVMaxValueSize <= 0 {
		c.KVMaxValueSize = 512 * 1024
	}
	if c.TxnMaxOps <= 0 {
		c.TxnMaxOps = 128
	}
	if c.SessionTTLMin <= 0 {
		c.SessionTTLMin = 10 * time.Second
	}
	if c.SessionTTLMultiplier <= 0 {
		c.SessionTTLMultiplier = 2
	}
	if c.LogOutput == nil {
		c.LogOutput = os.Stderr
	}
	return nil
}

// privateIP finds the one address to advertise when binding 0.0.0.0,
// preferring a private IPv4 address, as Consul does.
func privateIP() (string, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "", err
	}
	var found []string
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.To4() == nil || n.IP.IsLoopback() {
			continue
		}
		if n.IP.IsPrivate() {
			found = append(found, n.IP.String())
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("no private IPv4 address found")
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("multiple private IPv4 addresses found (%v)", found)
}
