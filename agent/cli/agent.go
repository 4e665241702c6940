package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gossible/gossible/agent"
)

const agentUsage = `
Usage: consul agent [options]

  Starts the Consul agent and runs until an interrupt is received. The
  agent represents a single node in a cluster.
`

// agentFlags holds the parsed command line of `consul agent`.
type agentFlags struct {
	fs      *flag.FlagSet
	sources []configSource
	c       agent.Config // flag values; only flags set on the line are applied
	dev     bool
	join    stringList
	retry   stringList
	retryIv time.Duration
}

func parseAgentFlags(env *Env, args []string) (*agentFlags, error) {
	f := &agentFlags{}
	fs := newFlagSet(env, "agent", agentUsage)
	f.fs = fs
	c := &f.c
	fs.BoolVar(&c.Server, "server", false, "Switches agent to server mode.")
	fs.BoolVar(&c.Bootstrap, "bootstrap", false, "Sets server to bootstrap mode.")
	fs.IntVar(&c.BootstrapExpect, "bootstrap-expect", 0, "Sets server to expect bootstrap mode.")
	fs.BoolVar(&c.UI, "ui", false, "Enables the built-in static web UI server.")
	fs.StringVar(&c.UIDir, "ui-dir", "", "Path to directory containing the web UI resources.")
	fs.StringVar(&c.DataDir, "data-dir", "", "Path to a data directory to store agent state.")
	fs.Func("config-dir", "Path to a directory to read configuration files from (*.json, lexical order). Repeatable.",
		func(v string) error { f.sources = append(f.sources, configSource{path: v, dir: true}); return nil })
	fs.Func("config-file", "Path to a JSON file to read configuration from. Repeatable.",
		func(v string) error { f.sources = append(f.sources, configSource{path: v}); return nil })
	fs.StringVar(&c.NodeName, "node", "", "Name of this node. Must be unique in the cluster.")
	fs.StringVar(&c.BindAddr, "bind", "", "Sets the bind address for cluster communication.")
	fs.StringVar(&c.AdvertiseAddr, "advertise", "", "Sets the advertise address to use.")
	fs.StringVar(&c.ClientAddr, "client", "", "Sets the address to bind for client access (HTTP).")
	fs.StringVar(&c.Datacenter, "datacenter", "", "Datacenter of the agent.")
	fs.StringVar(&c.Datacenter, "dc", "", "Alias of -datacenter.")
	fs.Var(&f.join, "join", "Address of an agent to join at start time. Repeatable.")
	fs.Var(&f.retry, "retry-join", "Address of an agent to join at start time with retries. Repeatable.")
	fs.DurationVar(&f.retryIv, "retry-interval", 0, "Time to wait between join attempts.")
	fs.IntVar(&c.Ports.HTTP, "http-port", 0, "Sets the HTTP API port to listen on.")
	fs.IntVar(&c.Ports.DNS, "dns-port", 0, "DNS port to use (-1 disables).")
	fs.IntVar(&c.Ports.SerfLAN, "serf-lan-port", 0, "Sets the Serf LAN port to listen on.")
	fs.IntVar(&c.Ports.SerfWAN, "serf-wan-port", 0, "Sets the Serf WAN port (reported only).")
	fs.IntVar(&c.Ports.Server, "server-port", 0, "Sets the server RPC/raft port to listen on.")
	fs.StringVar(&c.LogLevel, "log-level", "", "Log level of the agent: trace, debug, info, warn, err.")
	fs.StringVar(&c.EncryptKey, "encrypt", "", "Provides the gossip encryption key.")
	fs.BoolVar(&f.dev, "dev", false, "Starts the agent in development mode (in memory, single server).")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return f, nil
}

// build makes the agent config: defaults, then config files in order,
// then the flags given on the command line.
func (f *agentFlags) build() (*agent.Config, error) {
	c := agent.DefaultConfig()
	if f.dev {
		c.DevMode, c.Server, c.Bootstrap, c.BindAddr, c.LogLevel = true, true, true, "127.0.0.1", "debug"
	}
	files, err := configFiles(f.sources)
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		if err := applyFile(c, p); err != nil {
			return nil, err
		}
	}
	fc := &f.c
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "server":
			c.Server = fc.Server
		case "bootstrap":
			c.Bootstrap = fc.Bootstrap
		case "bootstrap-expect":
			c.BootstrapExpect = fc.BootstrapExpect
		case "ui":
			c.UI = fc.UI
		case "ui-dir":
			c.UIDir = fc.UIDir
		case "data-dir":
			c.DataDir = fc.DataDir
		case "node":
			c.NodeName = fc.NodeName
		case "bind":
			c.BindAddr = fc.BindAddr
		case "advertise":
			c.AdvertiseAddr = fc.AdvertiseAddr
		case "client":
			c.ClientAddr = fc.ClientAddr
		case "datacenter", "dc":
			c.Datacenter = fc.Datacenter
		case "join":
			c.StartJoin = append(c.StartJoin, f.join...)
		case "retry-join":
			c.RetryJoin = append(c.RetryJoin, f.retry...)
		case "retry-interval":
			c.RetryInterval = f.retryIv
		case "http-port":
			c.Ports.HTTP = fc.Ports.HTTP
		case "dns-port":
			c.Ports.DNS = fc.Ports.DNS
		case "serf-lan-port":
			c.Ports.SerfLAN = fc.Ports.SerfLAN
		case "serf-wan-port":
			c.Ports.SerfWAN = fc.Ports.SerfWAN
		case "server-port":
			c.Ports.Server = fc.Ports.Server
		case "log-level":
			c.LogLevel = fc.LogLevel
		case "encrypt":
			c.EncryptKey = fc.EncryptKey
		}
	})
	return c, nil
}

// gate holds log output until the banner is printed, so the log reads
// in the order the chapter shows.
type gate struct {
	mu   sync.Mutex
	out  io.Writer
	buf  bytes.Buffer
	open bool
}

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.open {
		return g.buf.Write(p)
	}
	return g.out.Write(p)
}

func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = true
	_, _ = g.out.Write(g.buf.Bytes())
	g.buf.Reset()
}

func runAgent(env *Env, args []string) int {
	f, err := parseAgentFlags(env, args)
	if err != nil {
		return 1
	}
	c, err := f.build()
	if err != nil {
		fmt.Fprintf(env.Stderr, "==> %v\n", err)
		return 1
	}
	appendMode(env.Stdout)
	appendMode(env.Stderr)
	g := &gate{out: env.Stdout}
	c.LogOutput = g
	fmt.Fprintln(env.Stdout, "==> Starting Consul agent...")
	a, err := agent.New(c)
	if err != nil {
		fmt.Fprintf(env.Stderr, "==> %v\n", err)
		return 1
	}
	if err := a.Start(); err != nil {
		g.release()
		fmt.Fprintf(env.Stderr, "==> Error starting agent: %v\n", err)
		return 1
	}
	printBanner(env.Stdout, a.Config())
	g.release()

	sigs := env.Signals
	if sigs == nil {
		sigs = make(chan os.Signal, 4)
		signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		defer signal.Stop(sigs)
	}
	for {
		select {
		case <-a.ShutdownCh():
			return 0
		case sig := <-sigs:
			fmt.Fprintf(env.Stdout, "==> Caught signal: %v\n", sig)
			if sig == syscall.SIGHUP {
				reload(env, f, a)
				continue
			}
			fmt.Fprintln(env.Stdout, "==> Gracefully shutting down agent...")
			code := 0
			if err := a.Leave(); err != nil {
				fmt.Fprintf(env.Stderr, "==> Error on leave: %v\n", err)
				code = 1
			}
			a.Shutdown()
			return code
		}
	}
}

// reload re-reads the config sources; only the log level can change
// while running, other changes are reported as needing a restart.
func reload(env *Env, f *agentFlags, a *agent.Agent) {
	fmt.Fprintln(env.Stdout, "==> Reloading configuration...")
	c, err := f.build()
	if err == nil {
		err = a.Reload(c)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "==> Failed to reload configs: %v\n", err)
	}
}

func printBanner(w io.Writer, c *agent.Config) {
	bootstrap := c.Bootstrap || c.DevMode
	line := func(k, v string) { fmt.Fprintf(w, "%18s: %s\n", k, v) }
	fmt.Fprintln(w, "==> Consul agent running!")
	line("Version", "'"+agent.Version+"'")
	line("Node name", "'"+c.NodeName+"'")
	line("Datacenter", "'"+c.Datacenter+"'")
	line("Server", fmt.Sprintf("%v (bootstrap: %v)", c.Server, bootstrap))
	dnsPort := c.Ports.DNS
	if dnsPort <= 0 {
		dnsPort = -1
	}
	line("Client Addr", fmt.Sprintf("%s (HTTP: %d, HTTPS: -1, DNS: %d)", c.ClientAddr, c.Ports.HTTP, dnsPort))
	line("Cluster Addr", fmt.Sprintf("%s (LAN: %d, WAN: %d)", c.AdvertiseAddr, c.Ports.SerfLAN, c.Ports.SerfWAN))
	line("Gossip encrypt", strconv.FormatBool(c.EncryptKey != "")+", RPC-TLS: false, TLS-Incoming: false")
	fmt.Fprintln(w)
}
