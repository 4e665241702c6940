package lab

import (
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"regexp"
)

// Defaults of the book's lab (chapter 8: serv-disc-01..03 at .201-.203).
const (
	DefaultPrefix     = "gossible-"
	DefaultSubnet     = "10.100.194.0/24"
	DefaultHosts      = 3
	DefaultHostPrefix = "serv-disc-"
	ControllerName    = "cd"
	// RepoMount is where the controller sees the repository (read-only).
	RepoMount = "/work/repo"
	// BinMount is where the controller sees the directory of the gossible binary.
	BinMount = "/opt/gossible/bin"
	// LoginUser is the user every host accepts the lab key for.
	LoginUser = "vagrant"
)

// Host octets inside the subnet: the controller at .200, hosts from .201,
// as in the book's inventory.
const (
	controllerOctet = 200
	firstHostOctet  = 201
	maxHosts        = 54
)

// Options describe one cluster. Zero fields take the defaults above, so the
// zero value is the book's lab: network gossible-serv-disc, 10.100.194.0/24.
type Options struct {
	// Prefix starts every container and network name ("gossible-"). Tests use
	// a unique one per cluster.
	Prefix string
	// Network is the Docker network's name; default Prefix+"serv-disc".
	Network string
	// Subnet is an IPv4 /24 (the host octets are fixed at .200-.254).
	Subnet string
	// Hosts is how many managed hosts to start (default 3, at most 54).
	Hosts int
	// HostPrefix names the hosts: HostPrefix+"01", ... (default "serv-disc-").
	HostPrefix string
	// Exclusive makes Up fail with ErrExists when the network already exists,
	// instead of returning the running cluster (tests want their own).
	Exclusive bool
	// NoController skips the controller container.
	NoController bool
	// RepoDir, when set, is bind-mounted read-only at RepoMount in the
	// controller and is the working directory of Run.
	RepoDir string
	// Binary, when set, is the gossible binary for the controller: its
	// directory is mounted read-only at BinMount and /usr/local/bin/gossible
	// links to it (a directory mount sees a rebuilt binary; a file mount would
	// keep the old inode).
	Binary string
	// StateDir keeps the cluster's private key and known_hosts on this
	// machine; default RepoDir/.lab/<network>, or a temp dir without RepoDir.
	StateDir string
	// Image is the image to run; default the DefaultRecipe's tag.
	Image string
	// Labels are added to every container and the network (tests mark their
	// owner process with them).
	Labels map[string]string
	// Log receives progress lines; nil is quiet.
	Log io.Writer
	// Stdout and Stderr receive Run's output; nil discards.
	Stdout, Stderr io.Writer
}

var prefixRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// withDefaults validates o and fills in defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if !prefixRE.MatchString(o.Prefix) {
		return o, fmt.Errorf("lab prefix %q: want lowercase letters, digits, '-', '_' or '.'", o.Prefix)
	}
	if o.Network == "" {
		o.Network = o.Prefix + "serv-disc"
	}
	if o.Subnet == "" {
		o.Subnet = DefaultSubnet
	}
	p, err := netip.ParsePrefix(o.Subnet)
	if err != nil || !p.Addr().Is4() || p.Bits() != 24 || p.Masked() != p {
		return o, fmt.Errorf("lab subnet %q: want an IPv4 /24 such as %s", o.Subnet, DefaultSubnet)
	}
	if o.Hosts == 0 {
		o.Hosts = DefaultHosts
	}
	if o.Hosts < 1 || o.Hosts > maxHosts {
		return o, fmt.Errorf("lab hosts %d: want 1 to %d", o.Hosts, maxHosts)
	}
	if o.HostPrefix == "" {
		o.HostPrefix = DefaultHostPrefix
	}
	if !prefixRE.MatchString(o.HostPrefix) {
		return o, fmt.Errorf("lab host prefix %q: want lowercase letters, digits, '-', '_' or '.'", o.HostPrefix)
	}
	if o.RepoDir != "" {
		if o.RepoDir, err = filepath.Abs(o.RepoDir); err != nil {
			return o, fmt.Errorf("lab repo dir: %w", err)
		}
	}
	if o.Binary != "" {
		if o.Binary, err = filepath.Abs(o.Binary); err != nil {
			return o, fmt.Errorf("lab binary: %w", err)
		}
	}
	if o.StateDir == "" && o.RepoDir != "" {
		o.StateDir = filepath.Join(o.RepoDir, ".lab", o.Network)
	}
	if o.Image == "" {
		o.Image = DefaultRecipe().Image()
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	return o, nil
}

// addr returns the subnet's address with the given last octet.
func (o Options) addr(octet int) string {
	a := netip.MustParsePrefix(o.Subnet).Addr().As4()
	a[3] = byte(octet)
	return netip.AddrFrom4(a).String()
}

// Gateway is the bridge's address (.1); hosts route everything there, where
// Docker's internal-network rules drop it.
func (o Options) gateway() string { return o.addr(1) }

// hostName is the i-th (0-based) host's name: serv-disc-01.
func (o Options) hostName(i int) string { return fmt.Sprintf("%s%02d", o.HostPrefix, i+1) }
