package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// LabelState is the network label holding the cluster's state dir, so a later
// process (gossible lab run) finds the key.
const LabelState = "gossible.lab.state"

// Host is one container of a cluster.
type Host struct {
	Name      string // hostname inside the container: serv-disc-01, cd
	IP        string // fixed address on the cluster's network
	Container string // Docker container name: Prefix+Name
}

// Cluster is a running lab. Its methods verify the network before each use.
type Cluster struct {
	opts Options
	// Network and Subnet identify the cluster's internal Docker network.
	Network, Subnet string
	// Hosts are the managed hosts in name order.
	Hosts []Host
	// Controller is the "cd" container; nil when Options.NoController.
	Controller *Host
	// KeyFile is the private key (OpenSSH format) every host's vagrant user
	// accepts; KnownHostsFile holds every host's real keys under its name
	// and IP. Both are on this machine; the controller has copies in /root/.ssh.
	KeyFile, KnownHostsFile string
}

// Up creates the cluster described by o and returns when every host's sshd
// is ready and the controller trusts every host key. When o's network
// already holds a lab cluster, Up returns it as Open does. A failed Up
// removes what it created.
func Up(ctx context.Context, o Options) (*Cluster, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := DockerAvailable(ctx); err != nil {
		return nil, err
	}
	if _, ok, err := inspectNetwork(ctx, o.Network); err != nil {
		return nil, err
	} else if ok && o.Exclusive {
		return nil, fmt.Errorf("%w: network %s exists", ErrExists, o.Network)
	} else if ok {
		fmt.Fprintf(o.Log, "lab: %s is already up\n", o.Network)
		return Open(ctx, o)
	}
	if err := ensureRunnableImage(ctx, o); err != nil {
		return nil, err
	}
	start := time.Now()
	if o.StateDir == "" {
		dir, err := os.MkdirTemp("", "gossible-lab-")
		if err != nil {
			return nil, fmt.Errorf("lab state dir: %w", err)
		}
		o.StateDir = dir
	}
	priv, authorized, err := loadOrCreateKey(o.StateDir)
	if err != nil {
		return nil, err
	}
	if o.Labels == nil {
		o.Labels = map[string]string{}
	}
	labels := map[string]string{LabelState: o.StateDir}
	for k, v := range o.Labels {
		labels[k] = v
	}
	o.Labels = labels
	if err := createNetwork(ctx, o); err != nil {
		removeStateIfFresh(o.StateDir)
		return nil, err
	}
	c, err := startCluster(ctx, o, priv, authorized)
	if err != nil {
		// Clean up with a fresh context: ctx may be the thing that ended.
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if derr := Down(dctx, o); derr != nil {
			err = errors.Join(err, fmt.Errorf("clean up failed lab: %w", derr))
		}
		return nil, fmt.Errorf("lab up %s: %w", o.Network, err)
	}
	fmt.Fprintf(o.Log, "lab: %s up with %d hosts in %s\n", o.Network, len(c.Hosts), time.Since(start).Round(10*time.Millisecond))
	return c, nil
}

// ensureRunnableImage builds the default image when missing; a custom image
// must already exist.
func ensureRunnableImage(ctx context.Context, o Options) error {
	if ok, err := ImageExists(ctx, o.Image); err != nil {
		return err
	} else if ok {
		return nil
	}
	r := DefaultRecipe()
	if o.Image != r.Image() {
		return fmt.Errorf("lab image %s not found", o.Image)
	}
	_, _, err := EnsureImage(ctx, ImageOptions{Recipe: &r, Log: o.Log})
	return err
}

func startCluster(ctx context.Context, o Options, priv []byte, authorized string) (*Cluster, error) {
	if err := VerifyNetwork(ctx, o.Network, o.Subnet); err != nil {
		return nil, err
	}
	c := &Cluster{opts: o, Network: o.Network, Subnet: o.Subnet,
		KeyFile:        filepath.Join(o.StateDir, keyFileName),
		KnownHostsFile: filepath.Join(o.StateDir, knownHostsFileName)}
	for i := 0; i < o.Hosts; i++ {
		name := o.hostName(i)
		c.Hosts = append(c.Hosts, Host{Name: name, IP: o.addr(firstHostOctet + i), Container: o.Prefix + name})
	}
	all := append([]Host(nil), c.Hosts...)
	if !o.NoController {
		c.Controller = &Host{Name: ControllerName, IP: o.addr(controllerOctet), Container: o.Prefix + ControllerName}
		all = append(all, *c.Controller)
	}
	known := make([][]string, len(all))
	errs := make([]error, len(all))
	var wg sync.WaitGroup
	for i, h := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			known[i], errs[i] = startHost(ctx, o, h, c.Controller != nil && h == *c.Controller, authorized)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var kh []string
	for i, h := range all {
		if c.Controller == nil || h != *c.Controller {
			kh = append(kh, known[i]...)
		}
	}
	khData := strings.Join(kh, "\n") + "\n"
	if err := writeFile(c.KnownHostsFile, []byte(khData), 0o644); err != nil {
		return nil, fmt.Errorf("write known_hosts: %w", err)
	}
	if c.Controller != nil {
		if err := setupController(ctx, o, c.Controller.Container, priv, khData); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// hostSetup waits for sshd (its pid file appears after it listens), trusts
// the lab key and prints the host's public keys for known_hosts.
const hostSetup = `set -e
i=0
while [ ! -s /run/sshd.pid ]; do
	i=$((i+1)); [ $i -lt 400 ] || { echo "sshd did not start within 20s" >&2; exit 1; }
	sleep 0.05
done
cat >>/home/vagrant/.ssh/authorized_keys
cat /etc/ssh/ssh_host_*_key.pub
`

// startHost runs one container and returns its known_hosts lines.
func startHost(ctx context.Context, o Options, h Host, controller bool, authorized string) ([]string, error) {
	role := "host"
	if controller {
		role = "controller"
	}
	args := []string{"run", "-d", "--name", h.Container, "--hostname", h.Name,
		"--network", o.Network, "--ip", h.IP, "--network-alias", h.Name,
		"--label", LabelCluster + "=" + o.Network, "--label", LabelRole + "=" + role,
		"--label", LabelHostname + "=" + h.Name, "--label", LabelIP + "=" + h.IP}
	for k, v := range o.Labels {
		args = append(args, "--label", k+"="+v)
	}
	if controller && o.RepoDir != "" {
		args = append(args, "--mount", "type=bind,source="+o.RepoDir+",target="+RepoMount+",readonly")
	}
	if controller && o.Binary != "" {
		args = append(args, "--mount", "type=bind,source="+filepath.Dir(o.Binary)+",target="+BinMount+",readonly")
	}
	args = append(args, o.Image)
	if _, err := docker(ctx, args...); err != nil {
		return nil, fmt.Errorf("start %s: %w", h.Name, err)
	}
	if err := ensureDefaultRoute(ctx, o, h); err != nil {
		return nil, err
	}
	keys, err := dockerIn(ctx, strings.NewReader(authorized+"\n"), "exec", "-i", h.Container, "sh", "-c", hostSetup)
	if err != nil {
		return nil, fmt.Errorf("set up %s: %w", h.Name, err)
	}
	lines, err := knownHostsLines([]string{h.Name, h.IP}, keys)
	if err != nil {
		return nil, fmt.Errorf("host keys of %s: %w", h.Name, err)
	}
	return lines, nil
}

// ensureDefaultRoute gives the host a default route into the internal
// network, so its facts have a default IPv4 address as a real machine's do;
// Docker's rules for internal networks drop anything sent beyond the
// bridge. Docker 20.10 adds this route itself; where it does not, the route
// is added from this machine with nsenter (needs root), so the host's own
// processes never get NET_ADMIN.
func ensureDefaultRoute(ctx context.Context, o Options, h Host) error {
	out, err := docker(ctx, "exec", h.Container, "ip", "-4", "route", "show", "default")
	if err != nil {
		return fmt.Errorf("routes of %s: %w", h.Name, err)
	}
	if out != "" {
		return nil
	}
	pid, err := docker(ctx, "inspect", "--format", "{{.State.Pid}}", h.Container)
	if err != nil {
		return fmt.Errorf("pid of %s: %w", h.Name, err)
	}
	cmd := exec.CommandContext(ctx, "nsenter", "-t", pid, "-n", "ip", "route", "replace", "default", "via", o.gateway())
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("default route on %s (nsenter needs root): %v: %s", h.Name, err, strings.TrimSpace(string(b)))
	}
	return nil
}

// controllerSetup installs the key and known_hosts for root, and links the
// mounted gossible binary onto PATH when there is one.
const controllerSetup = `set -e
umask 077
mkdir -p /root/.ssh
cat >/root/.ssh/id_ed25519
printf '%s' "$KNOWN_HOSTS" >/root/.ssh/known_hosts
if [ -n "$BIN" ]; then ln -sf "$BIN" /usr/local/bin/gossible; fi
`

func setupController(ctx context.Context, o Options, container string, priv []byte, knownHosts string) error {
	bin := ""
	if o.Binary != "" {
		bin = BinMount + "/" + filepath.Base(o.Binary)
	}
	_, err := dockerIn(ctx, strings.NewReader(string(priv)), "exec", "-i",
		"-e", "KNOWN_HOSTS="+knownHosts, "-e", "BIN="+bin, container, "sh", "-c", controllerSetup)
	if err != nil {
		return fmt.Errorf("set up controller: %w", err)
	}
	return nil
}

// Open returns the running cluster on o's network after verifying it.
func Open(ctx context.Context, o Options) (*Cluster, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	n, ok, err := inspectNetwork(ctx, o.Network)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: no network %s (hint: gossible lab up)", ErrNotUp, o.Network)
	}
	if err := checkNetwork(n, o.Network, o.Subnet); err != nil {
		return nil, err
	}
	if n.Labels[LabelState] != "" {
		o.StateDir = n.Labels[LabelState]
	}
	c := &Cluster{opts: o, Network: o.Network, Subnet: o.Subnet,
		KeyFile:        filepath.Join(o.StateDir, keyFileName),
		KnownHostsFile: filepath.Join(o.StateDir, knownHostsFileName)}
	sts, err := status(ctx, o.Network)
	if err != nil {
		return nil, err
	}
	for _, s := range sts {
		h := Host{Name: s.Hostname, IP: s.IP, Container: s.Container}
		switch s.Role {
		case "controller":
			c.Controller = &h
		case "host":
			c.Hosts = append(c.Hosts, h)
		}
	}
	if len(c.Hosts) == 0 {
		return nil, fmt.Errorf("%w: network %s has no hosts (hint: gossible lab down, then up)", ErrNotUp, o.Network)
	}
	return c, nil
}

// ContainerStatus is one container of a cluster as Docker reports it.
type ContainerStatus struct {
	Container, Hostname, IP, Role string
	State                         string // docker's state: running, exited, ...
}

// Status lists the containers of o's cluster (none when it is down).
func Status(ctx context.Context, o Options) ([]ContainerStatus, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	return status(ctx, o.Network)
}

func status(ctx context.Context, network string) ([]ContainerStatus, error) {
	format := strings.Join([]string{"{{.Names}}", `{{.Label "` + LabelHostname + `"}}`,
		`{{.Label "` + LabelIP + `"}}`, `{{.Label "` + LabelRole + `"}}`, "{{.State}}"}, "\t")
	out, err := docker(ctx, "ps", "-a", "--filter", "label="+LabelCluster+"="+network, "--format", format)
	if err != nil {
		return nil, err
	}
	var sts []ContainerStatus
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			continue
		}
		sts = append(sts, ContainerStatus{Container: f[0], Hostname: f[1], IP: f[2], Role: f[3], State: f[4]})
	}
	sort.Slice(sts, func(i, j int) bool { return sts[i].Hostname < sts[j].Hostname })
	return sts, nil
}

// Down removes every container labelled with o's network, then the network,
// then the key and known_hosts in the state dir. It only touches objects
// carrying the lab's label, and succeeds when nothing is there.
func Down(ctx context.Context, o Options) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	return DownNetwork(ctx, o.Network)
}

// removalGap lets dockerd finish one endpoint's teardown before the next.
const removalGap = 300 * time.Millisecond

// DownNetwork is Down by network name.
func DownNetwork(ctx context.Context, network string) error {
	n, netOK, err := inspectNetwork(ctx, network)
	if err != nil {
		return err
	}
	if netOK && n.Labels[LabelCluster] != network {
		return fmt.Errorf("network %s was not created by the lab (no %s label); not removing it", network, LabelCluster)
	}
	ids, err := docker(ctx, "ps", "-aq", "--filter", "label="+LabelCluster+"="+network)
	if err != nil {
		return err
	}
	// One container at a time, with a pause: Debian's dockerd 20.10 can
	// deadlock for good when two endpoints of one network are torn down at
	// once (moby/moby#42545; `docker rm` of several ids runs in parallel).
	for i, id := range strings.Fields(ids) {
		if i > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("remove lab containers: %w", ctx.Err())
			case <-time.After(removalGap):
			}
		}
		if _, err := docker(ctx, "rm", "-f", "-v", id); err != nil {
			return fmt.Errorf("remove lab container: %w", err)
		}
	}
	if netOK {
		if _, err := docker(ctx, "network", "rm", network); err != nil {
			return fmt.Errorf("remove lab network: %w", err)
		}
		if dir := n.Labels[LabelState]; dir != "" {
			removeState(dir)
		}
	}
	return nil
}

// removeStateIfFresh undoes loadOrCreateKey when the network could not be made.
func removeStateIfFresh(dir string) { removeState(dir) }

// removeState deletes the files the lab wrote, and the dir when empty.
func removeState(dir string) {
	for _, f := range []string{keyFileName, keyFileName + ".pub", knownHostsFileName} {
		os.Remove(filepath.Join(dir, f)) //nolint:errcheck // absent is fine
	}
	os.Remove(dir) //nolint:errcheck // not empty: someone else's files stay
	if parent := filepath.Dir(dir); filepath.Base(parent) == ".lab" {
		os.Remove(parent) //nolint:errcheck // other clusters' dirs stay
	}
}

// Networks lists the lab clusters on this engine: network name to labels.
func Networks(ctx context.Context) (map[string]map[string]string, error) {
	out, err := docker(ctx, "network", "ls", "--filter", "label="+LabelCluster, "--format", "{{.Name}}")
	if err != nil {
		return nil, err
	}
	nets := map[string]map[string]string{}
	for _, name := range strings.Fields(out) {
		n, ok, err := inspectNetwork(ctx, name)
		if err != nil {
			return nil, err
		}
		if ok {
			nets[name] = n.Labels
		}
	}
	return nets, nil
}
