package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/transporttest"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

const sshdPath = "/usr/sbin/sshd"

// logLevel of the test sshd; DEBUG helps when a test fails.
var logLevel = "ERROR"

// realSSHD is an OpenSSH sshd on 127.0.0.1 with its own host key, letting
// the current user in with a fresh key.
type realSSHD struct {
	port       int
	key        string
	knownHosts string
	hostKey    ssh.PublicKey
	user       string
}

func startSSHD(t testing.TB) *realSSHD {
	t.Helper()
	if _, err := os.Stat(sshdPath); err != nil {
		t.Skipf("needs OpenSSH sshd (apt-get install -y openssh-server): %v", err)
	}
	u, err := user.Current()
	if err != nil {
		t.Skipf("needs the current user: %v", err)
	}
	if os.Geteuid() == 0 {
		// sshd's privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Skipf("needs /run/sshd: %v", err)
		}
	}
	isolate(t)
	dir := t.TempDir()
	hostKeyFile, hostSigner := newKey(t, "")
	clientKey, clientSigner := newKey(t, "")
	// sshd reads authorized_keys as the login user: world-readable, in a
	// directory outside the test's private temp dirs.
	authDir, err := os.MkdirTemp("", "gossible-sshd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(authDir) })
	if err := os.Chmod(authDir, 0o755); err != nil {
		t.Fatal(err)
	}
	auth := filepath.Join(authDir, "authorized_keys")
	if err := os.WriteFile(auth, ssh.MarshalAuthorizedKey(clientSigner.PublicKey()), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	// An empty HOME for sessions: bash, run by sshd, sources ~/.bashrc even
	// for `bash -c`, and a developer's rc files would be timed too.
	home := filepath.Join(authDir, "home")
	if err := os.Mkdir(home, 0o777); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "sshd_config")
	config := fmt.Sprintf(`Port %d
ListenAddress 127.0.0.1
HostKey %s
AuthorizedKeysFile %s
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxStartups 200
LogLevel %s
Subsystem sftp internal-sftp
SetEnv HOME=%s
`, port, hostKeyFile, auth, logLevel, home)
	if err := os.WriteFile(conf, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sshdPath, "-D", "-e", "-f", conf)
	// A file, not a buffer: sshd's session children keep it open, and
	// Wait would wait for them.
	logFile, err := os.Create(filepath.Join(dir, "sshd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stderr = logFile
	logs := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start sshd: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("sshd log:\n%s", logs())
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			t.Skipf("sshd exited at start: %s", logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("sshd did not listen on %d: %s", port, logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	line := knownhosts.Line([]string{net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}, hostSigner.PublicKey())
	return &realSSHD{
		port:       port,
		key:        clientKey,
		knownHosts: writeFile(t, line+"\n"),
		hostKey:    hostSigner.PublicKey(),
		user:       u.Username,
	}
}

func (s *realSSHD) config() transport.Config {
	return transport.Config{
		Host:            "127.0.0.1",
		Port:            s.port,
		User:            s.user,
		PrivateKeyFiles: []string{s.key},
		KnownHostsFiles: []string{s.knownHosts},
		HostKeyChecking: true,
	}
}

func TestRealSSHD(t *testing.T) {
	s := startSSHD(t)
	t.Run("Contract", func(t *testing.T) {
		transporttest.Run(t, func(t *testing.T) transport.Conn { return dial(t, s.config()) })
	})
	t.Run("WrongKey", func(t *testing.T) {
		wrong, _ := newKey(t, "")
		cfg := s.config()
		cfg.PrivateKeyFiles = []string{wrong}
		_, err := Dial(context.Background(), cfg)
		want := s.user + "@127.0.0.1: permission denied (publickey)"
		if !errors.Is(err, transport.ErrUnreachable) || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want unreachable with %q", err, want)
		}
	})
	t.Run("UnknownHostKey", func(t *testing.T) {
		cfg := s.config()
		cfg.KnownHostsFiles = []string{writeFile(t, "")}
		_, err := Dial(context.Background(), cfg)
		if !errors.Is(err, transport.ErrUnreachable) || !strings.Contains(err.Error(), "ssh-keyscan") {
			t.Fatalf("err = %v, want unreachable explaining ssh-keyscan", err)
		}
	})
	t.Run("SessionsBeyondMaxSessions", func(t *testing.T) {
		// sshd allows 10 sessions per connection; 30 concurrent commands
		// plus the sftp session must queue, not fail.
		c := dial(t, s.config())
		defer c.Close()
		if err := c.Upload(context.Background(), strings.NewReader("x"), t.TempDir()+"/f", 0o600); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 30)
		for range 30 {
			go func() {
				res, err := c.Exec(context.Background(), transport.Cmd{Line: "sleep 0.2; echo ok"})
				if err == nil && string(res.Stdout) != "ok\n" {
					err = fmt.Errorf("stdout %q", res.Stdout)
				}
				errs <- err
			}()
		}
		for range 30 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	})
}

// BenchmarkExecReused runs `true` on one open connection.
func BenchmarkExecReused(b *testing.B) {
	s := startSSHD(b)
	c := dial(b, s.config())
	defer c.Close()
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if res, err := c.Exec(ctx, transport.Cmd{Line: "true"}); err != nil || res.RC != 0 {
			b.Fatalf("exec: %v rc %d", err, res.RC)
		}
	}
}

// BenchmarkExecFreshConnection dials, runs `true` and closes each time.
func BenchmarkExecFreshConnection(b *testing.B) {
	s := startSSHD(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		c := dial(b, s.config())
		if res, err := c.Exec(ctx, transport.Cmd{Line: "true"}); err != nil || res.RC != 0 {
			b.Fatalf("exec: %v rc %d", err, res.RC)
		}
		c.Close()
	}
}

// TestRealSudoPassword drives real sudo's password prompt. It needs a user
// that may sudo with a password: GOSSIBLE_TEST_SUDO_USER and
// GOSSIBLE_TEST_SUDO_PASSWORD (the test sshd lets any user in with its key).
func TestRealSudoPassword(t *testing.T) {
	u, pw := os.Getenv("GOSSIBLE_TEST_SUDO_USER"), os.Getenv("GOSSIBLE_TEST_SUDO_PASSWORD")
	if u == "" || pw == "" {
		t.Skip("needs GOSSIBLE_TEST_SUDO_USER and GOSSIBLE_TEST_SUDO_PASSWORD: a user that may sudo with a password")
	}
	s := startSSHD(t)
	cfg := s.config()
	cfg.User = u
	c := dial(t, cfg)
	defer c.Close()
	tests := []struct {
		name    string
		become  transport.Become
		wantOut string
		wantErr string
	}{
		{name: "right password", become: transport.Become{Password: pw}, wantOut: "root\npiped"},
		{name: "other user", become: transport.Become{User: u, Password: pw}, wantOut: u + "\npiped"},
		{name: "wrong password", become: transport.Become{Password: pw + "x"}, wantErr: "incorrect sudo password"},
		{name: "missing password", become: transport.Become{}, wantErr: "missing sudo password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Exec(context.Background(), transport.Cmd{Line: "id -un; cat", Become: &tt.become, Stdin: strings.NewReader("piped")})
			if tt.wantErr != "" {
				if !errors.Is(err, transport.ErrBecome) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("exec: %v %q", err, res.Stderr)
			}
			if string(res.Stdout) != tt.wantOut || len(res.Stderr) != 0 {
				t.Errorf("stdout %q stderr %q, want %q and no stderr", res.Stdout, res.Stderr, tt.wantOut)
			}
		})
	}
}

// TestRealSu drives su: with a password through a terminal (logged in as
// GOSSIBLE_TEST_SUDO_USER, su to itself), and without one from root.
func TestRealSu(t *testing.T) {
	u, pw := os.Getenv("GOSSIBLE_TEST_SUDO_USER"), os.Getenv("GOSSIBLE_TEST_SUDO_PASSWORD")
	if u == "" || pw == "" {
		t.Skip("needs GOSSIBLE_TEST_SUDO_USER and GOSSIBLE_TEST_SUDO_PASSWORD: a user with a password")
	}
	s := startSSHD(t)
	cfg := s.config()
	cfg.User = u
	c := dial(t, cfg)
	defer c.Close()
	res, err := c.Exec(context.Background(), transport.Cmd{Line: "id -un; echo err >&2", Become: &transport.Become{Method: "su", User: u, Password: pw}})
	if err != nil || string(res.Stdout) != u+"\nerr\n" {
		t.Errorf("su with password: %v stdout %q stderr %q", err, res.Stdout, res.Stderr)
	}
	_, err = c.Exec(context.Background(), transport.Cmd{Line: "id -un", Become: &transport.Become{Method: "su", User: u, Password: pw + "x"}})
	if !errors.Is(err, transport.ErrBecome) || !strings.Contains(err.Error(), "incorrect su password") {
		t.Errorf("su with a wrong password: err = %v", err)
	}
	if os.Geteuid() != 0 {
		return
	}
	root := dial(t, s.config())
	defer root.Close()
	res, err = root.Exec(context.Background(), transport.Cmd{Line: "id -un; cat", Become: &transport.Become{Method: "su", User: u}, Stdin: strings.NewReader("in")})
	if err != nil || string(res.Stdout) != u+"\nin" {
		t.Errorf("su from root: %v stdout %q stderr %q", err, res.Stdout, res.Stderr)
	}
}
