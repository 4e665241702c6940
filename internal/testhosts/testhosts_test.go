package testhosts

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/lab"
)

// recorder stands in for a testing.TB to see whether skipOrFail skips or fails.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Skipf(f string, args ...any)  { r.skipped = fmt.Sprintf(f, args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = fmt.Sprintf(f, args...) }

func TestSkipOrFail(t *testing.T) {
	tests := []struct {
		name, ci   string
		skip, fail bool
	}{
		{name: "developer machine skips", ci: "", skip: true},
		{name: "ci fails", ci: "true", fail: true},
		{name: "other CI value skips", ci: "1", skip: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			skipOrFail(r, "no docker")
			if (r.skipped != "") != tt.skip || (r.failed != "") != tt.fail {
				t.Fatalf("skipped=%q failed=%q, want skip=%v fail=%v", r.skipped, r.failed, tt.skip, tt.fail)
			}
			if !strings.Contains(r.skipped+r.failed, "no docker") {
				t.Fatalf("reason missing: %q %q", r.skipped, r.failed)
			}
		})
	}
}

// TestClusterAndReap starts a one-host cluster without controller, uses it
// directly, and checks that a cluster owned by a dead process is reaped.
func TestClusterAndReap(t *testing.T) {
	env := Cluster(t, 1, Options{NoController: true, HostPrefix: "node-"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := env.HostExec(ctx, 0, "hostname")
	if err != nil || strings.TrimSpace(out) != "node-01" {
		t.Fatalf("hostname = %q, %v", out, err)
	}
	if env.Controller != nil {
		t.Fatal("controller started despite NoController")
	}
	if _, err := env.ControllerExec(ctx, "true"); err == nil {
		t.Fatal("ControllerExec without controller: want an error")
	}

	// A cluster labelled with a pid that cannot exist stands for one left by
	// a killed test binary.
	stale, err := lab.Up(ctx, lab.Options{Prefix: "gossible-stale-", Subnet: "10.100.192.0/24", Hosts: 1,
		NoController: true, StateDir: t.TempDir(), Exclusive: true,
		Labels: map[string]string{labelPID: strconv.Itoa(1 << 30), labelBoot: strings.TrimSpace(string(bootID))}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stale.Down(context.Background()) }) //nolint:errcheck
	reapStale(ctx, t)
	if sts, err := lab.Status(ctx, stale.Options()); err != nil || len(sts) != 0 {
		t.Fatalf("stale cluster not reaped: %v %v", sts, err)
	}
	if err := env.Verify(ctx); err != nil {
		t.Fatalf("own live cluster was reaped: %v", err)
	}
}
