// Package sshtest runs a small SSH server on 127.0.0.1 inside the test
// process, so ssh transports can be tested without sshd, Docker or root. It
// authenticates by public key and optionally by password or
// keyboard-interactive, runs "exec" requests with /bin/sh -c as the current
// user (like sshd runs the login shell), delivers "signal" requests, and
// serves the "sftp" subsystem with github.com/pkg/sftp. A pty request gives
// the command a terminal (Linux). It refuses ssh env requests, as a default
// sshd does.
package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gossible/gossible/transport/internal/pty"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
	"golang.org/x/sys/unix"
)

// Options configure a Server.
type Options struct {
	// AuthorizedKeys may log in by public key.
	AuthorizedKeys []ssh.PublicKey
	// Password, when set, is accepted by password auth (or by
	// keyboard-interactive when KeyboardInteractive is set).
	Password            string
	KeyboardInteractive bool
	// User, when set, is the only login name accepted.
	User string
	// HostKey is the server's key; nil means a fresh ed25519 key.
	HostKey ssh.Signer
	// ExtraHostKeys are more host keys of other types (a real sshd has
	// ed25519, ecdsa and rsa).
	ExtraHostKeys []ssh.Signer
}

// Server is a running test SSH server.
type Server struct {
	Host    string // 127.0.0.1
	Port    int
	HostKey ssh.PublicKey

	ln    net.Listener
	cfg   *ssh.ServerConfig
	conns atomic.Int64

	mu     sync.Mutex
	open   map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// Start listens on a free port of 127.0.0.1 and serves until Close.
func Start(opts Options) (*Server, error) {
	signer := opts.HostKey
	if signer == nil {
		_, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			return nil, fmt.Errorf("generate host key: %w", err)
		}
		if signer, err = ssh.NewSignerFromKey(priv); err != nil {
			return nil, fmt.Errorf("generate host key: %w", err)
		}
	}
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(md ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if opts.User != "" && md.User() != opts.User {
				return nil, errors.New("unknown user")
			}
			for _, k := range opts.AuthorizedKeys {
				if bytes.Equal(k.Marshal(), key.Marshal()) {
					return &ssh.Permissions{}, nil
				}
			}
			return nil, errors.New("key not authorized")
		},
	}
	if opts.Password != "" && !opts.KeyboardInteractive {
		cfg.PasswordCallback = func(md ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if (opts.User == "" || md.User() == opts.User) && string(pw) == opts.Password {
				return &ssh.Permissions{}, nil
			}
			return nil, errors.New("wrong password")
		}
	}
	if opts.Password != "" && opts.KeyboardInteractive {
		cfg.KeyboardInteractiveCallback = func(md ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ans, err := ask("", "", []string{"Password: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			if (opts.User == "" || md.User() == opts.User) && len(ans) == 1 && ans[0] == opts.Password {
				return &ssh.Permissions{}, nil
			}
			return nil, errors.New("wrong password")
		}
	}
	for _, k := range opts.ExtraHostKeys {
		cfg.AddHostKey(k)
	}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Server{
		Host:    "127.0.0.1",
		Port:    ln.Addr().(*net.TCPAddr).Port,
		HostKey: signer.PublicKey(),
		ln:      ln,
		cfg:     cfg,
		open:    map[net.Conn]bool{},
	}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// KnownHostsLine is the known_hosts line for this server ([127.0.0.1]:port).
func (s *Server) KnownHostsLine() string {
	return knownhosts.Line([]string{s.Addr()}, s.HostKey)
}

// Connections is the number of TCP connections accepted so far.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Close stops listening, drops every connection and waits for the handlers.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	for c := range s.open {
		_ = c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.open[c] = true
		s.mu.Unlock()
		s.conns.Add(1)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serve(c)
			s.mu.Lock()
			delete(s.open, c)
			s.mu.Unlock()
			_ = c.Close()
		}()
	}
}

func (s *Server) serve(c net.Conn) {
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	var wg sync.WaitGroup
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only session channels")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			session(ch, creqs)
		}()
	}
	wg.Wait()
}

// session serves one session channel: one exec or one sftp subsystem.
func session(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var proc *exec.Cmd
	done := make(chan struct{})
	started, withPTY := false, false
	for {
		var req *ssh.Request
		var ok bool
		select {
		case req, ok = <-reqs:
		case <-done:
			return
		}
		if !ok {
			// The client closed the channel: hang up on the command.
			if proc != nil {
				_ = syscall.Kill(-proc.Process.Pid, syscall.SIGKILL)
				<-done
			}
			return
		}
		switch {
		case req.Type == "exec" && !started:
			var p struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &p); err != nil {
				_ = req.Reply(false, nil)
				continue
			}
			cmd, err := startExec(ch, p.Command, withPTY, done)
			if err != nil {
				_ = req.Reply(false, nil)
				continue
			}
			started, proc = true, cmd
			_ = req.Reply(true, nil)
		case req.Type == "subsystem" && !started:
			var p struct{ Name string }
			if err := ssh.Unmarshal(req.Payload, &p); err != nil || p.Name != "sftp" {
				_ = req.Reply(false, nil)
				continue
			}
			started = true
			_ = req.Reply(true, nil)
			go func() {
				defer close(done)
				srv, err := sftp.NewServer(ch)
				if err != nil {
					return
				}
				_ = srv.Serve()
				_ = srv.Close()
			}()
		case req.Type == "pty-req" && !started:
			withPTY = true
			_ = req.Reply(true, nil)
		case req.Type == "signal" && proc != nil:
			var p struct{ Signal string }
			if err := ssh.Unmarshal(req.Payload, &p); err == nil {
				if n := unix.SignalNum("SIG" + p.Signal); n != 0 {
					_ = syscall.Kill(-proc.Process.Pid, n)
				}
			}
			if req.WantReply {
				_ = req.Reply(true, nil)
			}
		default:
			// env, pty-req, shell, x11, ...: refused.
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
		}
	}
}

// startExec starts line with /bin/sh -c, wired to ch; done is closed once
// the exit status has been sent.
func startExec(ch ssh.Channel, line string, withPTY bool, done chan struct{}) (*exec.Cmd, error) {
	cmd := exec.Command("/bin/sh", "-c", line)
	var output sync.WaitGroup
	if withPTY {
		master, err := pty.Start(cmd)
		if err != nil {
			return nil, err
		}
		output.Add(1)
		go func() {
			defer output.Done()
			_, _ = io.Copy(ch, pty.Reader{F: master})
			_ = master.Close()
		}()
		go func() { _, _ = io.Copy(pty.Writer{F: master}, ch) }()
	} else {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Stdout = ch
		cmd.Stderr = ch.Stderr()
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		go func() {
			_, _ = io.Copy(stdin, ch)
			_ = stdin.Close()
		}()
	}
	go func() {
		defer close(done)
		err := cmd.Wait()
		output.Wait()
		_ = ch.CloseWrite()
		var ee *exec.ExitError
		switch {
		case err == nil:
			sendStatus(ch, 0)
		case errors.As(err, &ee):
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				name := unix.SignalName(ws.Signal())
				_, _ = ch.SendRequest("exit-signal", false, ssh.Marshal(struct {
					Signal     string
					CoreDumped bool
					Msg        string
					Lang       string
				}{Signal: name[3:], CoreDumped: ws.CoreDump()}))
			} else {
				sendStatus(ch, ee.ExitCode())
			}
		default:
			sendStatus(ch, 255)
		}
	}()
	return cmd, nil
}

func sendStatus(ch ssh.Channel, rc int) {
	_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(rc)}))
}
