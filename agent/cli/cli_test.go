package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/retry"
)

// syncBuf is a goroutine-safe output buffer.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(&Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader("from stdin"), Getenv: func(string) string { return "" }}, args)
	return code, out.String(), errb.String()
}

var ipN int

func testIP() string {
	ipN++
	return fmt.Sprintf("127.%d.1.%d", 20+os.Getpid()%200, ipN)
}

type runningAgent struct {
	ip     string
	out    *syncBuf
	errb   *syncBuf
	sigs   chan os.Signal
	done   chan int
	dir    string
	config string
	mu     sync.Mutex
	code   *int
}

func startCLIAgent(t *testing.T, extra ...string) *runningAgent {
	t.Helper()
	ra := &runningAgent{ip: testIP(), out: &syncBuf{}, errb: &syncBuf{}, sigs: make(chan os.Signal, 2), done: make(chan int, 1), dir: t.TempDir()}
	ra.config = filepath.Join(ra.dir, "config")
	os.MkdirAll(ra.config, 0o755)
	os.WriteFile(filepath.Join(ra.config, "10-base.json"), []byte(`{"log_level": "info"}`), 0o644)
	args := append([]string{"agent", "-node=n-" + ra.ip, "-bind=" + ra.ip, "-client=" + ra.ip,
		"-data-dir", filepath.Join(ra.dir, "data"), "-config-dir", ra.config}, extra...)
	go func() {
		ra.done <- Run(&Env{Stdout: ra.out, Stderr: ra.errb, Signals: ra.sigs, Getenv: func(string) string { return "" }}, args)
	}()
	retry.Until(t, 10*time.Second, func() error {
		if code, ok := ra.exited(0); ok {
			t.Fatalf("agent exited %d: %s %s", code, ra.out, ra.errb)
		}
		resp, err := http.Get("http://" + ra.ip + ":8500/v1/status/leader")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
	t.Cleanup(func() {
		if _, exited := ra.exited(0); !exited {
			ra.sigs <- syscall.SIGTERM
			ra.exited(10 * time.Second)
		}
	})
	return ra
}

// exited waits up to d for the agent command to return its exit code.
func (ra *runningAgent) exited(d time.Duration) (int, bool) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	if ra.code != nil {
		return *ra.code, true
	}
	select {
	case c := <-ra.done:
		ra.code = &c
		return c, true
	case <-time.After(d):
		return 0, false
	}
}

func (ra *runningAgent) addr() string { return "-http-addr=http://" + ra.ip + ":8500" }

func TestAgentAndClientCommands(t *testing.T) {
	srv := startCLIAgent(t, "-server", "-bootstrap")
	retry.Until(t, 10*time.Second, func() error {
		if code, out, _ := run("kv", "put", srv.addr(), "probe", "x"); code != 0 {
			return fmt.Errorf("put: %s", out)
		}
		return nil
	})
	banner := srv.out.String()
	for _, want := range []string{"==> Starting Consul agent...\n==> Consul agent running!\n", "         Node name: 'n-" + srv.ip + "'",
		"        Datacenter: 'dc1'", "            Server: true (bootstrap: true)",
		"       Client Addr: " + srv.ip + " (HTTP: 8500", "      Cluster Addr: " + srv.ip + " (LAN: 8301, WAN: 8302)",
		"[INFO] raft: ", "[INFO] serf: EventMemberJoin: n-" + srv.ip, "[INFO] consul: cluster leadership acquired"} {
		if !strings.Contains(banner, want) {
			t.Fatalf("agent output lacks %q:\n%s", want, banner)
		}
	}
	if strings.Index(banner, "[INFO]") < strings.Index(banner, "Cluster Addr") {
		t.Fatalf("log lines before the banner:\n%s", banner)
	}
	cli := startCLIAgent(t)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{name: "join", args: []string{"join", cli.addr(), srv.ip}, wantOut: "Successfully joined cluster by contacting 1 nodes.\n"},
		{name: "join nothing", args: []string{"join", cli.addr()}, wantCode: 1, wantErr: "At least one address to join must be specified."},
		{name: "put", args: []string{"kv", "put", cli.addr(), "msg1", "this is a test"}, wantOut: "Success! Data written to: msg1\n"},
		{name: "put flags", args: []string{"kv", "put", cli.addr(), "-flags=1234", "messages/msg3", "third"}, wantOut: "Success! Data written to: messages/msg3\n"},
		{name: "put stdin", args: []string{"kv", "put", cli.addr(), "messages/msg2", "-"}, wantOut: "Success! Data written to: messages/msg2\n"},
		{name: "get", args: []string{"kv", "get", cli.addr(), "msg1"}, wantOut: "this is a test\n"},
		{name: "get recurse", args: []string{"kv", "get", cli.addr(), "-recurse", "messages/"},
			wantOut: "messages/msg2:from stdin\nmessages/msg3:third\n"},
		{name: "get keys", args: []string{"kv", "get", cli.addr(), "-keys"}, wantOut: "messages/\nmsg1\nprobe\n"},
		{name: "get missing", args: []string{"kv", "get", cli.addr(), "nope"}, wantCode: 1, wantErr: "Error! No key exists at: nope\n"},
		{name: "cas fails", args: []string{"kv", "put", cli.addr(), "-cas", "-modify-index=1", "msg1", "x"}, wantCode: 1,
			wantErr: "Error! Did not write to msg1: CAS failed\n"},
		{name: "delete", args: []string{"kv", "delete", cli.addr(), "msg1"}, wantOut: "Success! Deleted key: msg1\n"},
		{name: "delete recurse", args: []string{"kv", "delete", cli.addr(), "-recurse", "messages/"},
			wantOut: "Success! Deleted keys with prefix: messages/\n"},
		{name: "put without key", args: []string{"kv", "put", cli.addr()}, wantCode: 1, wantErr: "Error! Missing KEY argument\n"},
		{name: "bad flag", args: []string{"kv", "get", "-nope"}, wantCode: 1, wantErr: "flag provided but not defined: -nope"},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 1, wantErr: "Unknown command: \"frobnicate\""},
		{name: "version", args: []string{"version"}, wantOut: "Consul v"},
		{name: "agent bad flag", args: []string{"agent", "-bogus"}, wantCode: 1, wantErr: "Usage: consul agent [options]"},
		{name: "agent no data dir", args: []string{"agent", "-node=x", "-bind=127.0.0.1"}, wantCode: 1,
			wantErr: "==> must specify data directory using -data-dir\n"},
		{name: "agent unwritable data dir", args: []string{"agent", "-node=x", "-bind=" + testIP(), "-client=" + testIP(), "-data-dir=/proc/x"},
			wantCode: 1, wantErr: "==> Error starting agent: create data dir: mkdir /proc/x"},
		{name: "second agent same data dir", args: []string{"agent", "-server", "-bootstrap", "-node=x", "-bind=" + testIP(),
			"-client=" + testIP(), "-data-dir", filepath.Join(srv.dir, "data")}, wantCode: 1, wantErr: "is already running with this data dir"},
		{name: "second agent same ports", args: []string{"agent", "-server", "-bootstrap", "-node=x", "-bind=" + srv.ip,
			"-client=" + srv.ip, "-data-dir", t.TempDir()}, wantCode: 1, wantErr: "address already in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(tt.args...)
			if code != tt.wantCode || !strings.HasPrefix(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
				t.Fatalf("got %d stdout %q stderr %q; want %d %q %q", code, out, errs, tt.wantCode, tt.wantOut, tt.wantErr)
			}
		})
	}

	retry.Until(t, 5*time.Second, func() error {
		_, out, _ := run("members", srv.addr())
		want := fmt.Sprintf("Node%s  Address%s  Status  Type    Build   Protocol  DC\n", strings.Repeat(" ", len("n-"+srv.ip)-4), strings.Repeat(" ", len(srv.ip)+5-7))
		if !strings.HasPrefix(out, want) || !strings.Contains(out, "n-"+cli.ip+"  "+cli.ip+":8301  alive   client  ") ||
			!strings.Contains(out, "n-"+srv.ip+"  "+srv.ip+":8301  alive   server  ") {
			return fmt.Errorf("members output:\n%s", out)
		}
		return nil
	})
	if code, out, _ := run("info", srv.addr()); code != 0 || !strings.Contains(out, "consul:\n") || !strings.Contains(out, "\tleader = true\n") {
		t.Fatalf("info: %d %s", code, out)
	}

	// SIGHUP reloads the config dir: a bad file is reported, the agent runs on.
	os.WriteFile(filepath.Join(srv.config, "20-bad.json"), []byte(`{"log_level": "debug", "services": []}`), 0o644)
	srv.sigs <- syscall.SIGHUP
	retry.Until(t, 5*time.Second, func() error {
		if !strings.Contains(srv.errb.String(), `unsupported config key "services"`) {
			return fmt.Errorf("no reload error yet: %s", srv.errb)
		}
		return nil
	})

	// `consul leave` makes the client agent exit 0; it shows as left.
	if code, out, errs := run("leave", cli.addr()); code != 0 || out != "Graceful leave complete\n" {
		t.Fatalf("leave: %d %q %q", code, out, errs)
	}
	if code, ok := cli.exited(10 * time.Second); !ok || code != 0 {
		t.Fatalf("client agent after leave: exited %v code %d", ok, code)
	}
	retry.Until(t, 5*time.Second, func() error {
		if _, out, _ := run("members", srv.addr(), "-status=left"); !strings.Contains(out, "n-"+cli.ip) {
			return fmt.Errorf("members:\n%s", out)
		}
		return nil
	})

	// SIGTERM leaves gracefully and exits 0.
	srv.sigs <- syscall.SIGTERM
	if code, ok := srv.exited(10 * time.Second); !ok || code != 0 || !strings.Contains(srv.out.String(), "==> Gracefully shutting down agent...") {
		t.Fatalf("server after SIGTERM: exited %v code %d:\n%s", ok, code, srv.out)
	}
}

func TestConfigMerge(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"datacenter": "east", "ports": {"http": 9500}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"datacenter": "west", "node_name": "fromfile", "retry_join": ["10.0.0.1"]}`), 0o644)
	os.WriteFile(filepath.Join(dir, "ignored.txt"), []byte(`not json`), 0o644)
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "x.json"), []byte("{\n  \"server\": \"yes\"\n}"), 0o644)
	syntax := t.TempDir()
	os.WriteFile(filepath.Join(syntax, "x.json"), []byte("{\n  \"server\": true,\n}"), 0o644)
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, dc, node string, http int, retry []string)
		wantErr string
	}{
		{name: "lexical order, flags win", args: []string{"-config-dir", dir, "-node=flag"},
			check: func(t *testing.T, dc, node string, http int, retry []string) {
				if dc != "east" || node != "flag" || http != 9500 || len(retry) != 1 {
					t.Fatalf("dc %s node %s http %d retry %v", dc, node, http, retry)
				}
			}},
		{name: "dc alias", args: []string{"-config-dir", dir, "-dc=south"},
			check: func(t *testing.T, dc, node string, http int, retry []string) {
				if dc != "south" || node != "fromfile" {
					t.Fatalf("dc %s node %s", dc, node)
				}
			}},
		{name: "wrong type", args: []string{"-config-dir", bad}, wantErr: `x.json: 2:17: key "server": expected bool, got JSON string`},
		{name: "syntax", args: []string{"-config-file", filepath.Join(syntax, "x.json")}, wantErr: "x.json: 3:1: invalid JSON"},
		{name: "missing dir", args: []string{"-config-dir", "/nonexistent"}, wantErr: "read config dir /nonexistent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb bytes.Buffer
			f, err := parseAgentFlags(&Env{Stderr: &errb}, tt.args)
			if err != nil {
				t.Fatal(err)
			}
			c, err := f.build()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c.Datacenter, c.NodeName, c.Ports.HTTP, c.RetryJoin)
		})
	}
}
