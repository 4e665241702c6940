package lab_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/testhosts"
	"github.com/gossible/gossible/lab"
	"golang.org/x/crypto/ssh"
)

// TestClusterEndToEnd brings up the book's three hosts plus the controller
// and checks what every other test relies on: strict-host-key SSH from the
// controller and from this process, sudo, hostnames, a populated
// ansible_default_ipv4, an init that survives an ssh restart, and a Down
// that leaves nothing behind.
func TestClusterEndToEnd(t *testing.T) {
	start := time.Now()
	env := testhosts.Cluster(t, 3, testhosts.Options{})
	t.Logf("up: %s", time.Since(start).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	for i, h := range env.Hosts {
		t.Run("ssh "+h.Name, func(t *testing.T) {
			want := fmt.Sprintf("serv-disc-%02d", i+1)
			out, err := env.SSH(ctx, i, "sudo -n true && hostname")
			if err != nil {
				t.Fatalf("ssh %s: %v", h.IP, err)
			}
			if got := strings.TrimSpace(out); got != want {
				t.Fatalf("hostname over ssh = %q, want %q", got, want)
			}
		})
	}

	t.Run("unknown host key is refused", func(t *testing.T) {
		args := []string{"ssh", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
			"-o", "UserKnownHostsFile=/dev/null", "vagrant@" + env.Hosts[0].IP, "true"}
		_, err := env.ControllerExec(ctx, args...)
		var ee *lab.ExitError
		if !errors.As(err, &ee) || !strings.Contains(ee.Stderr, "Host key verification failed") {
			t.Fatalf("want host key verification failure, got %v", err)
		}
	})

	t.Run("dial from test process", func(t *testing.T) {
		client, err := ssh.Dial("tcp", env.Addr(1), env.ClientConfig("vagrant"))
		if err != nil {
			t.Fatalf("dial %s: %v", env.Addr(1), err)
		}
		defer client.Close()
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		out, err := sess.Output("sudo -n id -u")
		if err != nil || strings.TrimSpace(string(out)) != "0" {
			t.Fatalf("sudo id -u = %q, %v", out, err)
		}
	})

	t.Run("ansible facts", func(t *testing.T) {
		inv := strings.Join(env.IPs(), ",") + ","
		out, err := env.ControllerExec(ctx, "env", "ANSIBLE_LOAD_CALLBACK_PLUGINS=1", "ANSIBLE_STDOUT_CALLBACK=json",
			"ansible", "all", "-i", inv, "-u", "vagrant", "-m", "setup", "-a", "gather_subset=network")
		if err != nil {
			t.Fatalf("ansible setup: %v\n%s", err, out)
		}
		var res struct {
			Plays []struct {
				Tasks []struct {
					Hosts map[string]struct {
						Facts struct {
							Hostname    string `json:"ansible_hostname"`
							DefaultIPv4 struct {
								Address string `json:"address"`
							} `json:"ansible_default_ipv4"`
						} `json:"ansible_facts"`
					} `json:"hosts"`
				} `json:"tasks"`
			} `json:"plays"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Plays) != 1 || len(res.Plays[0].Tasks) != 1 {
			t.Fatalf("decode ansible json (%v):\n%s", err, out)
		}
		hosts := res.Plays[0].Tasks[0].Hosts
		for i, h := range env.Hosts {
			f := hosts[h.IP].Facts
			if f.DefaultIPv4.Address != h.IP || f.Hostname != h.Name {
				t.Errorf("host %d: ansible_default_ipv4.address=%q hostname=%q, want %q %q", i, f.DefaultIPv4.Address, f.Hostname, h.IP, h.Name)
			}
		}
	})

	t.Run("ssh restart keeps the host", func(t *testing.T) {
		if _, err := env.SSH(ctx, 2, "sudo -n /etc/init.d/ssh restart"); err != nil {
			t.Fatalf("restart ssh: %v", err)
		}
		var err error
		for i := 0; i < 50; i++ { // sshd needs a moment to listen again
			if _, err = env.SSH(ctx, 2, "true"); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("ssh after restart: %v", err)
		}
	})

	t.Run("orphans are reaped", func(t *testing.T) {
		if _, err := env.HostExec(ctx, 0, "sh", "-c", "(sleep 0.1 &); sleep 0.5"); err != nil {
			t.Fatal(err)
		}
		out, err := env.HostExec(ctx, 0, "ps", "-eo", "stat=")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "Z") {
			t.Fatalf("zombie left:\n%s", out)
		}
	})

	t.Run("down leaves nothing", func(t *testing.T) {
		start := time.Now()
		if err := env.Down(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("down: %s", time.Since(start).Round(time.Millisecond))
		sts, err := lab.Status(ctx, env.Options())
		if err != nil || len(sts) != 0 {
			t.Fatalf("containers left: %v %v", sts, err)
		}
		if err := env.Verify(ctx); !errors.Is(err, lab.ErrNotInternal) {
			t.Fatalf("network left or wrong error: %v", err)
		}
		if _, err := env.Output(ctx, env.Hosts[0].Container, "true"); !errors.Is(err, lab.ErrNotInternal) {
			t.Fatalf("exec after down: want ErrNotInternal, got %v", err)
		}
	})
}
