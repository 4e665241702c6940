// Package ssh implements transport.Conn over SSH with golang.org/x/crypto/ssh
// and github.com/pkg/sftp. Dial opens ONE TCP connection per host, which is
// reused for the whole run: each Exec is a new session channel on it, and
// uploads and downloads share one SFTP subsystem session. Host keys are
// verified against known_hosts unless host key checking is off. A Client is
// safe for concurrent use.
package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/user"
	"strconv"
	"sync"
	"time"

	"github.com/gossible/gossible/transport"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// maxSessions bounds the session channels open at once on one connection:
// OpenSSH refuses more than MaxSessions (10 by default), and the SFTP
// session takes one of those.
const maxSessions = 9

// Client is an open SSH connection to one host.
type Client struct {
	host string
	user string
	conn *ssh.Client
	sem  chan struct{}

	sftpMu sync.Mutex
	sftp   *sftp.Client

	closeOnce sync.Once
	closeErr  error
}

var _ transport.Conn = (*Client)(nil)

// Dial connects and authenticates to cfg.Host. Every failure to reach,
// verify or authenticate the host is a *transport.UnreachableError.
func Dial(ctx context.Context, cfg transport.Config) (*Client, error) {
	if cfg.Port == 0 {
		cfg.Port = 22
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.User == "" {
		cfg.User = currentUser()
	}
	unreachable := func(err error) error {
		return &transport.UnreachableError{Host: cfg.Host, User: cfg.User, Err: err}
	}
	if cfg.Host == "" {
		return nil, unreachable(errors.New("no host to connect to"))
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))

	checkKey, algos, err := hostKeys(cfg, addr)
	if err != nil {
		return nil, unreachable(err)
	}
	a, err := newAuth(cfg)
	if err != nil {
		return nil, unreachable(err)
	}
	defer a.close()

	var keyErr error
	var offered ssh.PublicKey
	var allowed []string
	config := &ssh.ClientConfig{
		User: cfg.User,
		Auth: a.methods,
		HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error {
			offered = key
			keyErr = checkKey(hostname, remote, key)
			return keyErr
		},
		HostKeyAlgorithms: algos,
		// Record the methods the server allows, for OpenSSH's
		// "Permission denied (publickey,password)" message.
		AuthCallback: func(c *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
			allowed = c.AllowedMethods
			return nil, nil
		},
		Timeout: cfg.Timeout,
	}

	d := net.Dialer{Timeout: cfg.Timeout}
	tcp, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, unreachable(&transport.ConnectError{Host: cfg.Host, Port: cfg.Port, Err: err})
	}
	// The handshake has no context: bound it by the timeout and by ctx.
	_ = tcp.SetDeadline(time.Now().Add(cfg.Timeout))
	stop := context.AfterFunc(ctx, func() { _ = tcp.Close() })
	c, chans, reqs, err := ssh.NewClientConn(tcp, addr, config)
	stop()
	if err != nil {
		_ = tcp.Close()
		switch {
		case keyErr != nil:
			err = explainHostKey(keyErr, cfg, cfg.Host, cfg.Port, offered)
		case ctx.Err() != nil:
			err = fmt.Errorf("ssh handshake with %s: %w", addr, ctx.Err())
		default:
			err = explainAuth(err, allowed, a)
		}
		return nil, unreachable(err)
	}
	_ = tcp.SetDeadline(time.Time{})
	return &Client{
		host: cfg.Host,
		user: cfg.User,
		conn: ssh.NewClient(c, chans, reqs),
		sem:  make(chan struct{}, maxSessions),
	}, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}

// acquire takes a session slot, or fails when ctx ends first.
func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) release() { <-c.sem }

// unreachable wraps an error on an established connection: a session that
// cannot be opened means the host is gone.
func (c *Client) unreachable(err error) error {
	return &transport.UnreachableError{Host: c.host, User: c.user, Err: err}
}

// Close ends the SFTP session and the connection.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		c.sftpMu.Lock()
		if c.sftp != nil {
			_ = c.sftp.Close()
		}
		c.sftpMu.Unlock()
		c.closeErr = c.conn.Close()
	})
	return c.closeErr
}
