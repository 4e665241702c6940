package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gossible/gossible/lab"
)

// bench runs commands on one lab cluster. Every lab call re-verifies that
// the cluster's network is still internal before it runs anything.
type bench struct {
	c          *lab.Cluster
	runTimeout time.Duration
}

// timedScript times a command inside the controller, so docker exec's own
// cost stays out of the figure. Output goes to a log file; stdout carries
// only "rc nanoseconds".
const timedScript = `log=$1; shift
mkdir -p "$(dirname "$log")"
s=$(date +%s%N)
"$@" >"$log" 2>&1
rc=$?
e=$(date +%s%N)
echo "$rc $((e - s))"`

// timed runs args in the controller's work dir with env and returns its
// wall time; a non-zero exit is an error carrying the log's tail.
func (b *bench) timed(ctx context.Context, env []string, logPath string, args ...string) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, b.runTimeout)
	defer cancel()
	var out bytes.Buffer
	all := append([]string{"sh", "-c", timedScript, "sh", logPath}, args...)
	err := b.c.Exec(ctx, b.c.Controller.Container, lab.ExecOptions{
		Stdout: &out, Dir: b.c.WorkDir(), Env: append([]string{"LANG=C.UTF-8"}, env...),
	}, all...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	rc, d, err := parseTimed(out.String())
	if err != nil {
		return 0, fmt.Errorf("%s: %w", strings.Join(args, " "), err)
	}
	if rc != 0 {
		tail, _ := b.c.Output(ctx, b.c.Controller.Container, "tail", "-n", "25", logPath)
		return 0, fmt.Errorf("%s exited with status %d (log %s in the controller):\n%s", strings.Join(args, " "), rc, logPath, tail)
	}
	return d, nil
}

// parseTimed reads timedScript's "rc nanoseconds" line.
func parseTimed(s string) (rc int, d time.Duration, err error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("timing output %q: want \"rc nanoseconds\"", strings.TrimSpace(s))
	}
	rc, err1 := strconv.Atoi(f[0])
	ns, err2 := strconv.ParseInt(f[1], 10, 64)
	if err := errors.Join(err1, err2); err != nil || ns < 0 {
		return 0, 0, fmt.Errorf("timing output %q: want \"rc nanoseconds\"", strings.TrimSpace(s))
	}
	return rc, time.Duration(ns), nil
}

// closeMasters ends Ansible's persistent SSH connections in the controller,
// so every run pays for its own connections, as gossible's runs do.
const closeMasters = `for s in /root/.ansible/cp/*; do
	[ -S "$s" ] && ssh -o ControlPath="$s" -O exit bench >/dev/null 2>&1
done
true`

func (b *bench) closeMasters(ctx context.Context) error {
	_, err := b.c.Output(ctx, b.c.Controller.Container, "sh", "-c", closeMasters)
	if err != nil {
		return fmt.Errorf("close ssh control masters: %w", err)
	}
	return nil
}

// resetScript makes a host fresh for the chapter and the generated
// playbook: no agent running (it runs in the host's own PID namespace, so
// the name only matches the agents the playbooks started there), no files.
const resetScript = `pkill -x consul
i=0
while pgrep -x consul >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
pkill -9 -x consul
rm -rf /data/consul /usr/local/bin/consul ` + remoteDir + `
! pgrep -x consul >/dev/null`

// onHosts runs script as root in every host (docker exec, not SSH) at once.
func (b *bench) onHosts(ctx context.Context, what, script string) error {
	errs := make([]error, len(b.c.Hosts))
	var wg sync.WaitGroup
	for i, h := range b.c.Hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.c.Output(ctx, h.Container, "sh", "-c", script); err != nil {
				errs[i] = fmt.Errorf("%s on %s: %w", what, h.Name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (b *bench) reset(ctx context.Context) error { return b.onHosts(ctx, "reset host", resetScript) }

// checkConsul confirms the chapter's playbook did its work on every host.
func (b *bench) checkConsul(ctx context.Context) error {
	return b.onHosts(ctx, "check consul", `test -x /usr/local/bin/consul && test -d /data/consul/logs && pgrep -x consul >/dev/null`)
}

// checkMany confirms the generated playbook wrote every file and directory.
func (b *bench) checkMany(ctx context.Context, tasks int) error {
	want := expectedEntries(tasks)
	return b.onHosts(ctx, "check generated playbook",
		fmt.Sprintf(`n=$(ls %s | wc -l); [ "$n" -eq %d ] || { echo "%s holds $n entries, want %d" >&2; exit 1; }`, remoteDir, want, remoteDir, want))
}

// expectedEntries is how many entries the generated playbook leaves in
// remoteDir: one per file, copy and shell task.
func expectedEntries(tasks int) int {
	n := 0
	for i := 2; i <= tasks; i++ {
		switch taskKinds[(i-2)%len(taskKinds)] {
		case "file", "copy", "shell":
			n++
		}
	}
	return n
}

// floorScript times n ssh calls from the controller to one host: over a
// reused ControlMaster connection ("true" or "sudo -n true"), or each on a
// new connection ("new"). Host key checking stays strict.
const floorScript = `set -e
ip=$1 n=$2 mode=$3
o="-o StrictHostKeyChecking=yes -o BatchMode=yes -i /root/.ssh/id_ed25519"
cp=/root/.ssh/bench-cm-$ip
reuse="-o ControlPath=none"
if [ "$mode" != new ]; then
	ssh $o -o ControlMaster=yes -o ControlPath=$cp -o ControlPersist=120 -fN vagrant@$ip
	reuse="-o ControlMaster=no -o ControlPath=$cp"
fi
cmd=true
[ "$mode" = sudo ] && cmd="sudo -n true"
s=$(date +%s%N)
i=0
while [ $i -lt $n ]; do ssh $o $reuse vagrant@$ip $cmd; i=$((i+1)); done
e=$(date +%s%N)
[ "$mode" = new ] || ssh -o ControlPath=$cp -O exit vagrant@$ip 2>/dev/null
echo "0 $((e - s))"`

// floor returns the per-call time of n ssh calls in mode (see floorScript).
func (b *bench) floor(ctx context.Context, mode string, n int) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, b.runTimeout)
	defer cancel()
	h := b.c.Hosts[0]
	out, err := b.c.Output(ctx, b.c.Controller.Container, "sh", "-c", floorScript, "sh", h.IP, strconv.Itoa(n), mode)
	if err != nil {
		return 0, fmt.Errorf("ssh floor (%s) to %s: %w", mode, h.Name, err)
	}
	_, d, err := parseTimed(out)
	if err != nil {
		return 0, fmt.Errorf("ssh floor (%s): %w", mode, err)
	}
	return d / time.Duration(n), nil
}

// versions describes the tools in the controller, for the report.
func (b *bench) versions(ctx context.Context) string {
	out, err := b.c.Output(ctx, b.c.Controller.Container, "sh", "-c",
		`gossible --version 2>&1 | head -n 1; ansible-playbook --version 2>&1 | head -n 1; ssh -V 2>&1`)
	if err != nil {
		return "versions: " + err.Error()
	}
	return strings.TrimSpace(out)
}
