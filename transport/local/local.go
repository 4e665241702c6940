// Package local implements transport.Conn on the controller itself
// (ansible_connection=local): commands run with /bin/sh -c through os/exec,
// become goes through the same transport.WrapBecome as ssh, and uploads are
// atomic (temporary file in the target directory, then rename).
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/internal/pty"
	"github.com/gossible/gossible/transport/internal/run"
	"github.com/gossible/gossible/transport/internal/xfer"
	"golang.org/x/sys/unix"
)

// Conn runs commands on the local machine. It is safe for concurrent use.
type Conn struct{}

var _ transport.Conn = (*Conn)(nil)

// New returns a Conn for the controller.
func New() *Conn { return &Conn{} }

// Exec runs cmd.Line with /bin/sh -c in its own process group.
func (c *Conn) Exec(ctx context.Context, cmd transport.Cmd) (transport.Result, error) {
	line, esc, err := run.Prepare(cmd)
	if err != nil {
		return transport.Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return transport.Result{}, fmt.Errorf("command interrupted: %w", err)
	}
	x := exec.Command("/bin/sh", "-c", line)
	if esc != nil && esc.PTY {
		return c.execPTY(ctx, x, esc)
	}
	// Own process group, so cancelling kills the whole pipeline.
	x.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := x.StdinPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("start command: %w", err)
	}
	stdout, err := x.StdoutPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("start command: %w", err)
	}
	stderr, err := x.StderrPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("start command: %w", err)
	}
	if err := x.Start(); err != nil {
		return transport.Result{}, fmt.Errorf("start command: %w", err)
	}
	p := run.Proc{
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		Wait:   func() (int, string, error) { return exitStatus(x.Wait()) },
		Kill: func() {
			_ = syscall.Kill(-x.Process.Pid, syscall.SIGKILL)
			// A child that escaped the group may hold the pipes open.
			time.AfterFunc(2*time.Second, func() { _ = stdout.Close(); _ = stderr.Close() })
		},
	}
	return run.Run(ctx, p, cmd.Stdin, esc)
}

func exitStatus(err error) (int, string, error) {
	if err == nil {
		return 0, "", nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return -1, "", fmt.Errorf("wait for command: %w", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		name := strings.TrimPrefix(unix.SignalName(ws.Signal()), "SIG")
		return -int(ws.Signal()), "command killed by signal " + name, nil
	}
	return ee.ExitCode(), "", nil
}

// execPTY runs x on a new terminal (su reads the password from it); its
// stdout and stderr both arrive on the terminal.
func (c *Conn) execPTY(ctx context.Context, x *exec.Cmd, esc *transport.Escalation) (transport.Result, error) {
	master, err := pty.Start(x)
	if err != nil {
		return transport.Result{}, fmt.Errorf("start command: %w", err)
	}
	defer master.Close()
	p := run.Proc{
		Stdin:  pty.Writer{F: master},
		Stdout: pty.Reader{F: master},
		Wait:   func() (int, string, error) { return exitStatus(x.Wait()) },
		Kill: func() {
			// The command leads its own session, hence its group.
			_ = syscall.Kill(-x.Process.Pid, syscall.SIGKILL)
			time.AfterFunc(2*time.Second, func() { _ = master.Close() })
		},
	}
	return run.Run(ctx, p, nil, esc)
}

// Upload writes r to path atomically: a temporary file next to it, then a
// rename. A zero mode means 0644.
func (c *Conn) Upload(ctx context.Context, r io.Reader, path string, mode fs.FileMode) error {
	return xfer.Upload(ctx, xfer.Disk{}, r, path, mode)
}

// Download copies the file at path into w.
func (c *Conn) Download(ctx context.Context, path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("download %s: %w", path, err)
	}
	defer f.Close()
	if _, err := io.Copy(w, xfer.Reader{Ctx: ctx, R: f}); err != nil {
		return fmt.Errorf("download %s: %w", path, err)
	}
	return nil
}

// Close does nothing: there is no connection to end.
func (c *Conn) Close() error { return nil }
