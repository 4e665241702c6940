// Package transport defines how gossible reaches a host. One Conn is opened per
// host and reused for the whole run; implementations live in transport/ssh and
// transport/local and pass the same contract suite (transport/transporttest).
package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"syscall"
	"time"
)

// Conn is an open connection to one host.
type Conn interface {
	// Exec runs cmd.Line with /bin/sh -c on the host, wrapped for privilege
	// escalation when cmd.Become is set. A non-zero exit status is not an
	// error: it is reported in Result.RC. Errors mean the host could not be
	// reached or the command could not be started.
	Exec(ctx context.Context, cmd Cmd) (Result, error)
	// Upload writes r to path on the host as the login user (no become),
	// atomically: a temporary file in the same directory, then a rename.
	Upload(ctx context.Context, r io.Reader, path string, mode fs.FileMode) error
	// Download copies the host's file at path into w, as the login user.
	Download(ctx context.Context, path string, w io.Writer) error
	// Close ends the connection.
	Close() error
}

// Cmd is one command for Exec.
type Cmd struct {
	// Line is a complete POSIX sh command line; every interpolated value in it
	// must have gone through shellquote.Quote.
	Line string
	// Stdin, when set, is streamed to the command's standard input.
	Stdin io.Reader
	// Become, when set, runs the command as another user (sudo or su).
	Become *Become
	// Env is exported to the command (names must be valid shell identifiers).
	Env map[string]string
}

// Become says how to escalate privileges for a command.
type Become struct {
	Method   string // "sudo" (default) or "su"
	User     string // default "root"
	Password string // empty: passwordless (sudo -n)
	Flags    string // extra flags for the become method, as ansible's become_flags
}

// Result is what a command produced.
type Result struct {
	Stdout []byte
	Stderr []byte
	RC     int
}

// Config says how to open a Conn to one host.
type Config struct {
	Host            string        // address or name to dial (ansible_host)
	Port            int           // 0 means 22
	User            string        // login user; empty means the controller's user
	Password        string        // ansible_password / -k
	PrivateKeyFiles []string      // tried in order; then ssh-agent; then ~/.ssh/id_*
	KnownHostsFiles []string      // empty means ~/.ssh/known_hosts
	HostKeyChecking bool          // false only when host_key_checking is off
	Timeout         time.Duration // connect timeout; 0 means 10s
}

// ErrUnreachable is wrapped by every error that means the host could not be
// reached or authenticated (Ansible's UNREACHABLE).
var ErrUnreachable = errors.New("unreachable")

// UnreachableError carries the host and the underlying cause.
type UnreachableError struct {
	Host string
	User string
	Err  error
}

// Error keeps Ansible's capitalised wording: users grep for it. A failed
// connect is OpenSSH's own line, which names no user.
func (e *UnreachableError) Error() string {
	var ce *ConnectError
	if errors.As(e.Err, &ce) {
		return "Failed to connect to the host via ssh: " + ce.Error()
	}
	return fmt.Sprintf("Failed to connect to the host via ssh: %s@%s: %v", e.User, e.Host, e.Err)
}

// ConnectError is a TCP connection to the host that failed, worded as
// OpenSSH words it ("ssh: connect to host H port P: Connection refused").
type ConnectError struct {
	Host string
	Port int
	Err  error
}

func (e *ConnectError) Error() string {
	var dns *net.DNSError
	if errors.As(e.Err, &dns) && dns.IsNotFound {
		return fmt.Sprintf("ssh: Could not resolve hostname %s: Name or service not known", e.Host)
	}
	reason := e.Err.Error()
	var ne net.Error
	switch {
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		reason = "Connection refused"
	case errors.Is(e.Err, syscall.EHOSTUNREACH):
		reason = "No route to host"
	case errors.Is(e.Err, syscall.ENETUNREACH):
		reason = "Network is unreachable"
	case errors.Is(e.Err, syscall.ETIMEDOUT), errors.As(e.Err, &ne) && ne.Timeout():
		reason = "Connection timed out"
	}
	return fmt.Sprintf("ssh: connect to host %s port %d: %s", e.Host, e.Port, reason)
}

func (e *ConnectError) Unwrap() error { return e.Err }

func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }
