package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestBinaryRerunIsHarmless builds the consul binary and runs it as the
// playbook does: a second agent on the same data dir and ports exits 1
// with a clear message and the first keeps serving; SIGTERM stops it.
func TestBinaryRerunIsHarmless(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "consul")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ip := fmt.Sprintf("127.%d.250.1", 20+os.Getpid()%200)
	args := []string{"agent", "-server", "-bootstrap", "-node=serv-disc-01", "-bind=" + ip, "-client=" + ip,
		"-data-dir", filepath.Join(dir, "data"), "-config-dir", dir}
	log := &syncBuf{}
	first := exec.Command(bin, args...)
	first.Stdout, first.Stderr = log, log
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	t.Cleanup(func() {
		first.Process.Kill()
	})
	url := "http://" + ip + ":8500/v1/kv/rerun"
	deadline := time.Now().Add(20 * time.Second)
	for {
		req, _ := http.NewRequest("PUT", url, strings.NewReader("still here"))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("first agent never served: %v\n%s", err, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	second := exec.Command(bin, args...)
	out, err := second.CombinedOutput()
	if code := second.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Fatalf("second agent: exit %d err %v\n%s", code, err, out)
	}
	if !strings.Contains(string(out), "==> Error starting agent: another agent (pid ") {
		t.Fatalf("second agent message:\n%s", out)
	}
	resp, err := http.Get(url + "?raw")
	if err != nil {
		t.Fatalf("first agent after rerun: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("first agent after rerun: %d", resp.StatusCode)
	}

	if err := first.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("agent after SIGTERM: %v\n%s", err, log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("agent still running 20s after SIGTERM")
	}
}

// syncBuf is an output buffer safe to read while the process writes.
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
