package ssh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/internal/run"
	"golang.org/x/crypto/ssh"
	"golang.org/x/sys/unix"
)

// Exec runs cmd in a new session channel as `exec /bin/sh -c LINE`, so the
// login shell of the user does not change the meaning of the line.
func (c *Client) Exec(ctx context.Context, cmd transport.Cmd) (transport.Result, error) {
	line, esc, err := run.Prepare(cmd)
	if err != nil {
		return transport.Result{}, err
	}
	if err := c.acquire(ctx); err != nil {
		return transport.Result{}, fmt.Errorf("command interrupted: %w", err)
	}
	defer c.release()
	s, err := c.newSession(ctx)
	if err != nil {
		return transport.Result{}, err
	}
	defer s.Close()
	if esc != nil && esc.PTY {
		modes := ssh.TerminalModes{ssh.ECHO: 0, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
		if err := s.RequestPty("dumb", 24, 200, modes); err != nil {
			return transport.Result{}, fmt.Errorf("request a terminal for %s: %w", esc.Method, err)
		}
	}
	stdin, err := s.StdinPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("open session stdin: %w", err)
	}
	stdout, err := s.StdoutPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("open session stdout: %w", err)
	}
	stderr, err := s.StderrPipe()
	if err != nil {
		return transport.Result{}, fmt.Errorf("open session stderr: %w", err)
	}
	// exec: the login shell gives way to /bin/sh, so a signal that kills
	// the command reaches sshd as exit-signal instead of a shell's 128+n.
	pty := esc != nil && esc.PTY
	pids := &pidReader{r: stderr}
	if !pty {
		line = pidPrefix + line
	}
	if err := s.Start("exec " + shellquote.Join("/bin/sh", "-c", line)); err != nil {
		return transport.Result{}, c.unreachable(fmt.Errorf("start command: %w", err))
	}
	p := run.Proc{
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: pids,
		Wait:   func() (int, string, error) { return exitStatus(s.Wait()) },
		Kill: func() {
			_ = s.Signal(ssh.SIGKILL)
			if pid := pids.pid.Load(); pid > 0 {
				go c.killRemote(pid)
			}
			_ = s.Close()
		},
	}
	if pty {
		p.Stderr = nil // a terminal merges stderr into stdout
	}
	return run.Run(ctx, p, cmd.Stdin, esc)
}

// newSession opens a session channel. sshd frees a finished session's slot
// a little after the close, so a refusal while near MaxSessions is retried
// for a while.
func (c *Client) newSession(ctx context.Context) (*ssh.Session, error) {
	delay := 5 * time.Millisecond
	deadline := time.Now().Add(5 * time.Second)
	for {
		s, err := c.conn.NewSession()
		if err == nil {
			return s, nil
		}
		var oce *ssh.OpenChannelError
		if !errors.As(err, &oce) {
			return nil, c.unreachable(fmt.Errorf("open session: %w", err))
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("open session: %w (is sshd's MaxSessions below %d?)", err, maxSessions+1)
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return nil, fmt.Errorf("command interrupted: %w", ctx.Err())
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

func exitStatus(err error) (int, string, error) {
	if err == nil {
		return 0, "", nil
	}
	var ee *ssh.ExitError
	if errors.As(err, &ee) {
		if sig := ee.Signal(); sig != "" {
			note := "command killed by signal " + sig
			if ee.Msg() != "" {
				note += ": " + ee.Msg()
			}
			if n := unix.SignalNum("SIG" + sig); n != 0 {
				return -int(n), note, nil
			}
			return -1, note, nil
		}
		return ee.ExitStatus(), "", nil
	}
	var missing *ssh.ExitMissingError
	if errors.As(err, &missing) {
		return -1, "command ended without an exit status (connection lost or command killed)", nil
	}
	return -1, "", fmt.Errorf("wait for command: %w", err)
}
