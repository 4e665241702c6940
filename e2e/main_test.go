package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/testhosts"
	"github.com/gossible/gossible/lab"
)

// Set by TestMain for every test.
var (
	repoDir     string // the module root, mounted in the controller
	gossibleBin string // static gossible, in a temp dir mounted in the controller
	envErr      error  // why the cluster tests cannot run here
	buildErr    error  // a failed build fails every cluster test
)

// consulBin is where the role's copy task finds the agent (src: consul).
const consulBin = "roles/consul/files/consul"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoDir, err = filepath.Abs(".."); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	envErr = environment()
	tmp := ""
	if envErr == nil {
		tmp, err = os.MkdirTemp("", "gossible-e2e-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
		buildErr = buildBinaries(tmp)
	}
	code := m.Run()
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	return code
}

// environment says why the cluster tests cannot run, or nil.
func environment() error {
	if _, err := os.Stat(filepath.Join(repoDir, "go.mod")); err != nil {
		return fmt.Errorf("module root not found at %s: %w", repoDir, err)
	}
	if os.Geteuid() != 0 {
		return errors.New("needs root (the lab sets host routes with nsenter)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := testhosts.Available(ctx); err != nil {
		return err
	}
	reapStale(ctx)
	return nil
}

// buildBinaries builds static gossible into dir and the consul agent where
// the role copies it from; the agent is renamed into place so a concurrent
// reader never sees half a file.
func buildBinaries(dir string) error {
	gossibleBin = filepath.Join(dir, "gossible")
	if err := goBuild(gossibleBin, "./cmd/gossible"); err != nil {
		return err
	}
	dst := filepath.Join(repoDir, consulBin)
	tmp := filepath.Join(filepath.Dir(dst), ".consul.e2e-"+strconv.Itoa(os.Getpid()))
	if err := goBuild(tmp, "./cmd/consul"); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("install consul agent: %w", err)
	}
	return nil
}

func goBuild(out, pkg string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = repoDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// requireCluster skips (or fails under CI=true) when the cluster tests
// cannot run, and fails when the binaries did not build.
func requireCluster(t testing.TB) {
	t.Helper()
	if envErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chapter e2e cannot run under CI=true: %v", envErr)
		}
		t.Skipf("needs root, docker and the test-host image: %v", envErr)
	}
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
}

// Labels shared with internal/testhosts: a cluster whose owner process is
// gone is removed by the next test run of either package.
const (
	labelPID  = "gossible.test.pid"
	labelBoot = "gossible.test.boot"
	netPrefix = "gossible-e2e"
)

var bootID = func() string {
	b, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b))
}()

// reapStale removes e2e clusters left by killed test processes: they would
// hold the chapter's subnet for ever.
func reapStale(ctx context.Context) {
	nets, err := lab.Networks(ctx)
	if err != nil {
		return
	}
	for name, labels := range nets {
		if !strings.HasPrefix(name, netPrefix) {
			continue
		}
		pid, err := strconv.Atoi(labels[labelPID])
		if err != nil {
			continue
		}
		if labels[labelBoot] == bootID && !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			continue
		}
		if err := lab.DownNetwork(ctx, name); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: remove stale cluster %s: %v\n", name, err)
		} else {
			fmt.Fprintf(os.Stderr, "e2e: removed stale cluster %s of pid %d\n", name, pid)
		}
	}
}
