package lab_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/testhosts"
	"github.com/gossible/gossible/lab"
)

// The Vagrant test's own /24 and names: clear of `gossible lab`
// (10.100.194) and of testhosts (10.100.195-254).
const (
	vagrantSubnet = "10.100.193"
	vagrantPrefix = "gossible-vt-"
	vagrantRule   = "gossible-vagrant-test"
)

func vagrantEnv(dir, image string) []string {
	return append(os.Environ(),
		"VAGRANT_CWD="+dir,
		// No calls home: version and box update checks go to the Internet.
		"VAGRANT_CHECKPOINT_DISABLE=1", "VAGRANT_BOX_UPDATE_CHECK_DISABLE=1",
		"GOSSIBLE_VAGRANT_SUBNET="+vagrantSubnet, "GOSSIBLE_VAGRANT_PREFIX="+vagrantPrefix,
		"GOSSIBLE_TESTHOST_IMAGE="+image)
}

func vagrant(ctx context.Context, t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "vagrant", args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("vagrant %s: %s", strings.Join(args, " "), time.Since(start).Round(10*time.Millisecond))
	return out.String(), err
}

// TestVagrantfile validates the Vagrantfile and brings its three hosts up
// with the docker provider from the local image, SSHes into one and destroys
// them. Vagrant's docker provider always attaches each container to
// Docker's default (non-internal) bridge as well, and its ssh needs that
// address (detaching the bridge after up makes `vagrant ssh` report "not yet
// ready for SSH"), so while it runs a DOCKER-USER rule drops anything from
// that bridge bound off the machine.
func TestVagrantfile(t *testing.T) {
	if _, err := exec.LookPath("vagrant"); err != nil {
		skipOrFail(t, "needs vagrant (apt-get install vagrant)")
	}
	repoVagrantfile, err := filepath.Abs("../Vagrantfile")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir := t.TempDir()
	data, err := os.ReadFile(repoVagrantfile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Vagrantfile"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	image := lab.DefaultRecipe().Image()
	env := vagrantEnv(dir, image)
	if out, err := vagrant(ctx, t, env, "validate"); err != nil {
		t.Fatalf("vagrant validate: %v\n%s", err, out)
	}

	if err := testhosts.Available(ctx); err != nil {
		skipOrFail(t, err.Error())
	}
	if os.Geteuid() != 0 {
		skipOrFail(t, "needs root for the DOCKER-USER rule")
	}
	if _, _, err := lab.EnsureImage(ctx, lab.ImageOptions{}); err != nil {
		t.Fatalf("image: %v", err)
	}
	addDropRule(t)
	t.Cleanup(func() {
		dctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if out, err := vagrant(dctx, t, env, "destroy", "-f"); err != nil {
			t.Errorf("vagrant destroy: %v\n%s", err, out)
		}
		// Vagrant removes the network it made once no container uses it;
		// make sure, since a leftover one would hold the subnet.
		exec.CommandContext(dctx, "docker", "network", "rm", "vagrant_network_"+vagrantSubnet+".0/24").Run() //nolint:errcheck
		out, _ := exec.CommandContext(dctx, "docker", "ps", "-aq", "--filter", "name=^"+vagrantPrefix).Output()
		if len(bytes.TrimSpace(out)) != 0 {
			t.Errorf("containers left after destroy: %s", out)
		}
	})

	if out, err := vagrant(ctx, t, env, "up", "--provider=docker", "--no-parallel"); err != nil {
		t.Fatalf("vagrant up: %v\n%s", err, out)
	}
	out, err := vagrant(ctx, t, env, "ssh", "serv-disc-01", "-c", "hostname; sudo -n true && ip -4 -o addr show")
	if err != nil {
		t.Fatalf("vagrant ssh: %v\n%s", err, out)
	}
	if !strings.HasPrefix(out, "serv-disc-01") || !strings.Contains(out, vagrantSubnet+".201/24") {
		t.Fatalf("vagrant ssh output lacks hostname serv-disc-01 or %s.201/24:\n%s", vagrantSubnet, out)
	}
	net, err := exec.CommandContext(ctx, "docker", "network", "inspect", "--format", "{{.Internal}}", "vagrant_network_"+vagrantSubnet+".0/24").Output()
	if err != nil || strings.TrimSpace(string(net)) != "true" {
		t.Fatalf("vagrant's private network is not internal: %q %v", net, err)
	}
}

// addDropRule drops forwarded traffic from Docker's default bridge to any
// other interface (off the machine) until the test ends.
func addDropRule(t *testing.T) {
	t.Helper()
	rule := []string{"DOCKER-USER", "-i", "docker0", "!", "-o", "docker0", "-m", "comment", "--comment", vagrantRule, "-j", "DROP"}
	if out, err := exec.Command("iptables", append([]string{"-I"}, rule...)...).CombinedOutput(); err != nil {
		t.Fatalf("add DOCKER-USER drop rule: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("iptables", append([]string{"-D"}, rule...)...).CombinedOutput(); err != nil {
			t.Errorf("remove DOCKER-USER drop rule: %v: %s", err, out)
		}
	})
}

// skipOrFail skips, or fails under CI=true (CI installs everything needed).
func skipOrFail(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("under CI=true: %s", reason)
	}
	t.Skip(reason)
}
