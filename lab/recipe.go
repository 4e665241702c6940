package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// ImageRepo is the repository part of every test-host image tag.
const ImageRepo = "gossible/testhost"

// InitPath is the test host's PID 1 inside the image (Vagrant's d.cmd uses it).
const InitPath = "/usr/local/sbin/gossible-init"

// Recipe is everything that decides the image's content. Its hash is the tag,
// so changing any field (or the scripts) builds a new image.
type Recipe struct {
	Suite    string   // Debian suite for debootstrap
	Variant  string   // debootstrap variant
	Packages []string // --include list
	Mirror   string   // empty: debootstrap's default mirror
	// VagrantKey is Vagrant's insecure public key, when the vagrant package is
	// installed: Vagrant's docker provider logs in with it before it swaps in
	// a per-machine key.
	VagrantKey string
}

// DefaultPackages serve both roles: a managed host (sshd, sudo, python3 for
// ansible modules) and the controller (ansible for differential tests, ssh
// client and dig for the demo). Ansible in the same image costs ~20 s of
// debootstrap and ~330 MB, cheaper than a second image.
// python3-cffi-backend is named because debootstrap's resolver skips virtual
// packages: python3-cryptography needs python3-cffi-backend-api-min, which
// only that package provides, and ansible-core is left unconfigured without it.
var DefaultPackages = []string{
	"openssh-server", "sudo", "python3", "iproute2", "procps", "curl",
	"ca-certificates", "ansible", "dnsutils", "python3-cffi-backend",
}

// DefaultRecipe is the recipe used when none is given; it reads Vagrant's key
// from the installed vagrant package, if any.
func DefaultRecipe() Recipe {
	return Recipe{
		Suite:      "bookworm",
		Variant:    "minbase",
		Packages:   append([]string(nil), DefaultPackages...),
		VagrantKey: vagrantInsecureKey(),
	}
}

// recipeVersion changes when the build steps change in a way not visible in
// the scripts below (e.g. the import flags).
const recipeVersion = "1"

// Hash is a short content hash of the recipe and the build scripts.
func (r Recipe) Hash() string {
	h := sha256.New()
	for _, s := range []string{recipeVersion, r.Suite, r.Variant, strings.Join(r.Packages, ","),
		r.Mirror, r.VagrantKey, setupScript, initScript, strings.Join(importChanges, "\n")} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// Image is the tag of the image this recipe builds.
func (r Recipe) Image() string { return ImageRepo + ":" + r.Hash() }

// vagrantKeyGlobs are where Debian's vagrant package puts its insecure key.
var vagrantKeyGlobs = []string{
	"/usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub",
	"/usr/share/vagrant/keys/vagrant.pub",
	"/opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub",
}

func vagrantInsecureKey() string {
	for _, g := range vagrantKeyGlobs {
		matches, _ := filepath.Glob(g)
		for _, m := range matches {
			if b, err := os.ReadFile(m); err == nil {
				return strings.TrimSpace(string(b))
			}
		}
	}
	return ""
}

// importChanges are the Dockerfile instructions docker import applies.
var importChanges = []string{
	`CMD ["` + InitPath + `"]`,
	`ENV LANG=C.UTF-8`,
}

// initScript is PID 1 of every host: fresh host keys, sshd in the background,
// then reap orphans forever. Only ed25519 and ECDSA host keys: an RSA key
// costs ~1 CPU-second per host start, which dominates a cluster's start. sshd must not be PID 1, or a playbook that
// restarts ssh would stop the container. dash's wait reaps any child, which
// includes orphans reparented to PID 1.
const initScript = `#!/bin/sh
# gossible test-host init (PID 1): host keys, sshd, reaping.
for t in ed25519 ecdsa; do
	[ -s /etc/ssh/ssh_host_${t}_key ] || ssh-keygen -q -t $t -N '' -f /etc/ssh/ssh_host_${t}_key
done
mkdir -p /run/sshd
chmod 0755 /run/sshd
/usr/sbin/sshd || echo "gossible-init: sshd failed to start" >&2
trap 'kill -TERM $(cat /run/sshd.pid 2>/dev/null) 2>/dev/null; exit 0' TERM INT
while :; do
	sleep 60 &
	wait
done
`

// setupScript runs chrooted in the fresh root after debootstrap. The lab's
// own key is not baked in: each cluster adds its key at start, so one image
// serves every cluster.
const setupScript = `set -eu
# debootstrap can exit 0 with packages left unconfigured; refuse such a root.
if [ -n "$(dpkg --audit)" ]; then dpkg --audit >&2; exit 1; fi
useradd -m -s /bin/bash vagrant
usermod -p '*' vagrant
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/vagrant
chmod 0440 /etc/sudoers.d/vagrant
install -d -m 0700 -o vagrant -g vagrant /home/vagrant/.ssh
install -m 0600 -o vagrant -g vagrant /dev/null /home/vagrant/.ssh/authorized_keys
if [ -s /tmp/vagrant.pub ]; then cat /tmp/vagrant.pub >>/home/vagrant/.ssh/authorized_keys; fi
rm -f /tmp/vagrant.pub
install -d -m 0700 /root/.ssh
rm -f /etc/ssh/ssh_host_*
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n' >/etc/ssh/sshd_config.d/gossible-hostkeys.conf
apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log /var/cache/debconf/*-old
`
