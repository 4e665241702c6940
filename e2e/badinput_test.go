package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/testhosts"
	"github.com/gossible/gossible/lab"
)

// biDir is the controller's work dir for the bad-input cases: the playbooks
// of testdata/badinput, an ansible.cfg (remote_user vagrant) and an
// inventory of the cluster's addresses.
const biDir = "/root/badinput"

// biAnsibleSSH keeps ansible-playbook from reusing a ControlPersist master
// of an earlier case: a live master would hide a wrong key or host key.
const biAnsibleSSH = "-o ControlMaster=no -o ControlPath=none"

// biRun is one playbook run in the controller.
type biRun struct {
	tool string
	out  string
	code int
	play playOutput
}

// biCluster is the bad-input cases' cluster.
type biCluster struct {
	*testhosts.Env
}

func (c *biCluster) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), time.Minute)
}

// ctl runs a shell script in the controller.
func (c *biCluster) ctl(t *testing.T, script string, args ...string) string {
	t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	out, err := c.ControllerExec(ctx, append([]string{"sh", "-c", script, "sh"}, args...)...)
	if err != nil {
		t.Fatalf("controller: %s: %v", script, err)
	}
	return out
}

// host runs args as root in host i's container.
func (c *biCluster) host(t *testing.T, i int, args ...string) string {
	t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	out, err := c.HostExec(ctx, i, args...)
	if err != nil {
		t.Fatalf("%s: %v", c.Hosts[i].Name, err)
	}
	return out
}

// writeFile puts data at path in the controller.
func (c *biCluster) writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	ctx, cancel := c.ctx()
	defer cancel()
	err := c.Exec(ctx, c.Controller.Container, lab.ExecOptions{Stdin: bytes.NewReader(data)},
		"sh", "-c", `mkdir -p "$(dirname "$1")" && cat >"$1"`, "sh", path)
	if err != nil {
		t.Fatalf("write %s in the controller: %v", path, err)
	}
}

// play runs tool (gossible or ansible-playbook) with args in biDir and
// returns its output, exit code and, when there is a recap, its parse.
func (c *biCluster) play(t *testing.T, tool string, env []string, args ...string) biRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env = append([]string{"LANG=C.UTF-8", "ANSIBLE_NOCOLOR=1", "ANSIBLE_NOCOWS=1", "ANSIBLE_FORCE_COLOR=0"}, env...)
	if tool == "ansible-playbook" {
		env = append(env, "ANSIBLE_SSH_ARGS="+biAnsibleSSH)
	}
	var out bytes.Buffer
	start := time.Now()
	err := c.Exec(ctx, c.Controller.Container, lab.ExecOptions{Stdout: &out, Stderr: &out, Dir: biDir, Env: env},
		append([]string{tool}, args...)...)
	r := biRun{tool: tool, out: out.String()}
	var ee *lab.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.Code
	case err != nil:
		t.Fatalf("%s: %v\n%s", tool, err, out.String())
	}
	t.Logf("$ %s %s    # exit %d, %s\n%s", tool, strings.Join(args, " "), r.code, time.Since(start).Round(time.Millisecond), r.out)
	r.play, _ = parseOutput(r.out) // a run without a recap leaves it empty
	return r
}

// both runs the same command with gossible and ansible-playbook.
func (c *biCluster) both(t *testing.T, env []string, args ...string) [2]biRun {
	t.Helper()
	return [2]biRun{c.play(t, "gossible", env, args...), c.play(t, "ansible-playbook", env, args...)}
}

// expect checks a run's exit code, recap and that its output matches each
// pattern.
func (r biRun) expect(t *testing.T, code int, recap map[string]counts, patterns ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("%s: exit %d, want %d", r.tool, r.code, code)
	}
	// Bad input gets a message, never a Go panic.
	if strings.Contains(r.out, "panic:") || strings.Contains(r.out, "goroutine ") {
		t.Errorf("%s: output holds a panic or stack trace", r.tool)
	}
	if recap != nil && recapString(r.play.Recap) != recapString(recap) {
		t.Errorf("%s: recap\n%s\nwant\n%s", r.tool, recapString(r.play.Recap), recapString(recap))
	}
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(r.out) {
			t.Errorf("%s: output does not match %q", r.tool, p)
		}
	}
}

// recapAll is the same counts for every host.
func (c *biCluster) recapAll(k counts) map[string]counts {
	m := map[string]counts{}
	for _, ip := range c.IPs() {
		m[ip] = k
	}
	return m
}

// upBadInput starts three hosts and a controller and prepares biDir.
func upBadInput(t *testing.T) *biCluster {
	t.Helper()
	requireCluster(t)
	c := &biCluster{testhosts.Cluster(t, 3, testhosts.Options{Binary: gossibleBin})}
	files, err := filepath.Glob("testdata/badinput/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata/badinput: %v (%d files)", err, len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		c.writeFile(t, biDir+"/"+filepath.Base(f), b)
	}
	c.writeFile(t, biDir+"/hosts", []byte("[all]\n"+strings.Join(c.IPs(), "\n")+"\n"))
	return c
}

// TestBadInput proves gossible's answers to unreachable hosts, bad
// credentials, unknown host keys, failing tasks, Ctrl-C and a rejected write
// on real OpenSSH hosts, each next to ansible-playbook 2.14's on the same
// hosts and input.
func TestBadInput(t *testing.T) {
	c := upBadInput(t)
	ips := c.IPs()

	t.Run("unreachable_host", func(t *testing.T) {
		c.host(t, 1, "sh", "-c", "kill $(cat /run/sshd.pid)")
		t.Cleanup(func() {
			ctx, cancel := c.ctx()
			defer cancel()
			if _, err := c.HostExec(ctx, 1, "/usr/sbin/sshd"); err != nil {
				t.Errorf("restart sshd on %s: %v", c.Hosts[1].Name, err)
			}
		})
		err := eventually(10*time.Second, 100*time.Millisecond, func() error {
			ctx, cancel := c.ctx()
			defer cancel()
			_, err := c.HostExec(ctx, 1, "sh", "-c", "! pgrep -x sshd")
			return err
		})
		if err != nil {
			t.Fatalf("sshd still running on %s: %v", c.Hosts[1].Name, err)
		}
		want := c.recapAll(counts{OK: 2, Changed: 2})
		want[ips[1]] = counts{Unreachable: 1}
		for _, r := range c.both(t, nil, "two_tasks.yml") {
			r.expect(t, 4, want, `fatal: \[`+regexp.QuoteMeta(ips[1])+`\]: UNREACHABLE!`)
			if n := strings.Count(r.out, "UNREACHABLE!"); n != 1 {
				t.Errorf("%s: %d UNREACHABLE! lines, want 1", r.tool, n)
			}
		}
	})

	t.Run("wrong_user", func(t *testing.T) {
		want := c.recapAll(counts{Unreachable: 1})
		for _, r := range c.both(t, nil, "-u", "nosuchuser", "one_task.yml") {
			r.expect(t, 4, want, `UNREACHABLE!`, `nosuchuser@`+regexp.QuoteMeta(ips[0])+`|Permission denied`)
		}
	})

	t.Run("wrong_key", func(t *testing.T) {
		c.ctl(t, `rm -f "$1" "$1.pub" && ssh-keygen -q -t ed25519 -N '' -f "$1"`, biDir+"/stranger")
		// OpenSSH adds the default ~/.ssh/id_* only when no identity file is
		// given: with --private-key, the lab key in ~/.ssh/id_ed25519 must not
		// be tried (ssh-agent keys would be; the controller has no agent).
		want := c.recapAll(counts{Unreachable: 1})
		for _, r := range c.both(t, nil, "--private-key", biDir+"/stranger", "one_task.yml") {
			r.expect(t, 4, want, `UNREACHABLE!`, `vagrant@`+regexp.QuoteMeta(ips[0])+`: (?i)permission denied`)
		}
	})

	t.Run("unknown_host_key", func(t *testing.T) {
		// gossible reads only ~/.ssh/known_hosts (transport.Config.KnownHostsFiles
		// is not settable from the command line): move it aside for both tools.
		c.ctl(t, `mv /root/.ssh/known_hosts /root/.ssh/known_hosts.badinput && : >/root/.ssh/known_hosts`)
		t.Cleanup(func() {
			ctx, cancel := c.ctx()
			defer cancel()
			if _, err := c.ControllerExec(ctx, "mv", "/root/.ssh/known_hosts.badinput", "/root/.ssh/known_hosts"); err != nil {
				t.Errorf("restore the controller's known_hosts: %v", err)
			}
		})
		want := c.recapAll(counts{Unreachable: 1})
		rs := c.both(t, nil, "one_task.yml")
		rs[0].expect(t, 4, want, `UNREACHABLE!`, `(?i)host key verification failed`, `ANSIBLE_HOST_KEY_CHECKING=False`)
		rs[1].expect(t, 4, want, `UNREACHABLE!`, `Host key verification failed`)
		if got := c.ctl(t, `cat /root/.ssh/known_hosts`); got != "" {
			t.Errorf("a refused host key was written to known_hosts:\n%s", got)
		}
		ok := c.recapAll(counts{OK: 1})
		for _, r := range c.both(t, []string{"ANSIBLE_HOST_KEY_CHECKING=False"}, "one_task.yml") {
			r.expect(t, 0, ok)
		}
	})

	t.Run("failing_task", func(t *testing.T) {
		want := c.recapAll(counts{Failed: 1})
		for _, r := range c.both(t, nil, "fail.yml") {
			r.expect(t, 2, want, `fatal: \[`+regexp.QuoteMeta(ips[0])+`\]: FAILED!`, `"rc": 1`, `"cmd": \[\s*"/bin/false"`)
			if n := strings.Count(r.out, "FAILED!"); n != len(ips) {
				t.Errorf("%s: %d FAILED! lines, want %d", r.tool, n, len(ips))
			}
		}
	})

	t.Run("interrupt", func(t *testing.T) {
		before := c.remoteTmp(t)
		g, during := c.interrupt(t, "gossible")
		if during == before {
			t.Errorf("gossible made no scratch dir in ~vagrant/.ansible/tmp while running: the leftover check proves nothing:\n%s", during)
		}
		g.expect(t, 99, nil, `(?m)^ \[ERROR\]: User interrupted execution$`)
		t.Logf("~vagrant/.ansible/tmp before and after gossible's run (unchanged):\n%s\nwhile it ran:\n%s", before, during)
		err := eventually(5*time.Second, 200*time.Millisecond, func() error {
			if left := c.sleeps(t); left != "" {
				return fmt.Errorf("remote commands still running:\n%s", left)
			}
			return nil
		})
		if err != nil {
			t.Errorf("gossible did not stop its remote commands on Ctrl-C: %v", err)
		}
		if after := c.remoteTmp(t); after != before {
			t.Errorf("gossible left files in ~vagrant/.ansible/tmp after Ctrl-C:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		a, _ := c.interrupt(t, "ansible-playbook")
		a.expect(t, 99, nil, `(?m)^ \[ERROR\]: User interrupted execution$`)
		// Reference only: ansible-playbook does not stop remote commands.
		if left := c.sleeps(t); left != "" {
			t.Logf("ansible-playbook left remote commands after Ctrl-C (killed now):\n%s", left)
			for i := range c.Hosts {
				c.host(t, i, "sh", "-c", "pkill -f '^sleep 30$'; true")
			}
		}
	})

	t.Run("rejected_write", func(t *testing.T) {
		const dir, old = "/tmp/badinput-validate", "old content\n"
		for i := range c.Hosts {
			c.host(t, i, "sh", "-c", `rm -rf "$1" && mkdir -m 0755 "$1" && printf '%s' "$2" >"$1/target" && chown -R vagrant: "$1"`, "sh", dir, old)
		}
		want := c.recapAll(counts{Failed: 1})
		for _, r := range c.both(t, nil, "validate.yml") {
			r.expect(t, 2, want, `failed to validate`)
			for i, h := range c.Hosts {
				if got := c.host(t, i, "cat", dir+"/target"); got != old {
					t.Errorf("%s: %s after %s: %q, want the old %q", r.tool, h.Name, dir+"/target", got, old)
				}
				if got := strings.Fields(c.host(t, i, "ls", "-A", dir)); len(got) != 1 || got[0] != "target" {
					t.Errorf("%s: %s: %s holds %v, want only target", r.tool, h.Name, dir, got)
				}
			}
		}
	})
}

// sleeps lists the `sleep 30` processes on the hosts.
func (c *biCluster) sleeps(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i, h := range c.Hosts {
		if out := c.host(t, i, "sh", "-c", "pgrep -af '^sleep 30$' || true"); strings.TrimSpace(out) != "" {
			fmt.Fprintf(&b, "%s:\n%s", h.Name, out)
		}
	}
	return b.String()
}

// remoteTmp lists the login user's remote tmp dirs on every host.
func (c *biCluster) remoteTmp(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i, h := range c.Hosts {
		fmt.Fprintf(&b, "%s: %s\n", h.Name, strings.Join(strings.Fields(c.host(t, i, "sh", "-c", "ls -A /home/vagrant/.ansible/tmp 2>/dev/null || true")), " "))
	}
	return b.String()
}

// interrupt starts tool on sleep.yml in the controller, waits until every
// host runs the task's `sleep 30`, sends SIGINT to the tool's process and
// returns its run and the hosts' remote tmp dirs just before the signal. The
// tool must exit within 10 s of the signal.
func (c *biCluster) interrupt(t *testing.T, tool string) (biRun, string) {
	t.Helper()
	pidFile := biDir + "/" + tool + ".pid"
	c.ctl(t, `rm -f "$1"`, pidFile)
	type result struct {
		out  string
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		var out bytes.Buffer
		err := c.Exec(ctx, c.Controller.Container, lab.ExecOptions{Stdout: &out, Stderr: &out, Dir: biDir,
			Env: []string{"LANG=C.UTF-8", "ANSIBLE_NOCOLOR=1", "ANSIBLE_NOCOWS=1", "ANSIBLE_SSH_ARGS=" + biAnsibleSSH}},
			"sh", "-c", `echo $$ >"$1"; shift; exec "$@"`, "sh", pidFile, tool, "sleep.yml")
		r := result{out: out.String(), err: err}
		var ee *lab.ExitError
		if errors.As(err, &ee) {
			r.code, r.err = ee.Code, nil
		}
		done <- r
	}()
	err := eventually(30*time.Second, 200*time.Millisecond, func() error {
		for i, h := range c.Hosts {
			ctx, cancel := c.ctx()
			out, err := c.HostExec(ctx, i, "sh", "-c", "pgrep -x sleep -a | grep -F 'sleep 30' || true")
			cancel()
			if err != nil {
				return fatal{err}
			}
			if strings.TrimSpace(out) == "" {
				return fmt.Errorf("no `sleep 30` on %s yet", h.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	during := c.remoteTmp(t)
	c.ctl(t, `kill -INT "$(cat "$1")"`, pidFile)
	sent := time.Now()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", tool, r.err, r.out)
		}
		took := time.Since(sent).Round(time.Millisecond)
		t.Logf("$ %s sleep.yml    # SIGINT after the task started; exit %d %s after the signal\n%s", tool, r.code, took, r.out)
		run := biRun{tool: tool, out: r.out, code: r.code}
		run.play, _ = parseOutput(r.out)
		return run, during
	case <-time.After(10 * time.Second):
		t.Fatalf("%s still running 10s after SIGINT", tool)
	}
	return biRun{}, ""
}
