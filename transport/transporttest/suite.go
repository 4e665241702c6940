// Package transporttest is the one contract suite every transport.Conn
// implementation must pass. It only uses the Conn itself to look at the host
// (a scratch directory made with mktemp -d), so it runs unchanged against
// local, an in-process ssh server and a real sshd.
package transporttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
)

// Run runs the contract suite; newConn returns a fresh open Conn (closed by
// the suite).
func Run(t *testing.T, newConn func(t *testing.T) transport.Conn) {
	t.Run("ExitCodes", func(t *testing.T) { testExitCodes(t, open(t, newConn)) })
	t.Run("OutputSeparation", func(t *testing.T) { testOutputs(t, open(t, newConn)) })
	t.Run("Stdin", func(t *testing.T) { testStdin(t, open(t, newConn)) })
	t.Run("Env", func(t *testing.T) { testEnv(t, open(t, newConn)) })
	t.Run("LargeOutput", func(t *testing.T) { testLargeOutput(t, open(t, newConn)) })
	t.Run("HostileQuoting", func(t *testing.T) { testQuoting(t, open(t, newConn)) })
	t.Run("Signal", func(t *testing.T) { testSignal(t, open(t, newConn)) })
	t.Run("Cancel", func(t *testing.T) { testCancel(t, open(t, newConn)) })
	t.Run("Upload", func(t *testing.T) { testUpload(t, open(t, newConn)) })
	t.Run("UploadAtomic", func(t *testing.T) { testUploadAtomic(t, open(t, newConn)) })
	t.Run("Download", func(t *testing.T) { testDownload(t, open(t, newConn)) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open(t, newConn)) })
	t.Run("BecomeErrors", func(t *testing.T) { testBecomeErrors(t, open(t, newConn)) })
	t.Run("BecomeSudo", func(t *testing.T) { testBecomeSudo(t, open(t, newConn)) })
}

func open(t *testing.T, newConn func(t *testing.T) transport.Conn) transport.Conn {
	c := newConn(t)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// Exec runs line and fails the test on a transport error.
func Exec(t *testing.T, c transport.Conn, cmd transport.Cmd) transport.Result {
	t.Helper()
	res, err := c.Exec(ctx(t), cmd)
	if err != nil {
		t.Fatalf("exec %q: %v (stderr %q)", cmd.Line, err, res.Stderr)
	}
	return res
}

// ScratchDir makes a temporary directory on the host, removed at cleanup.
func ScratchDir(t *testing.T, c transport.Conn) string {
	t.Helper()
	res := Exec(t, c, transport.Cmd{Line: "mktemp -d"})
	dir := strings.TrimSpace(string(res.Stdout))
	if res.RC != 0 || dir == "" {
		t.Fatalf("mktemp -d: rc %d, %q", res.RC, res.Stderr)
	}
	t.Cleanup(func() {
		_, _ = c.Exec(context.Background(), transport.Cmd{Line: "rm -rf " + shellquote.Quote(dir)})
	})
	return dir
}

func testExitCodes(t *testing.T, c transport.Conn) {
	tests := []struct {
		name string
		line string
		rc   int
	}{
		{name: "true", line: "true", rc: 0},
		{name: "false", line: "false", rc: 1},
		{name: "exit 3", line: "exit 3", rc: 3},
		{name: "exit 255", line: "exit 255", rc: 255},
		{name: "not found", line: "/nonexistent/gossible-cmd", rc: 127},
		{name: "syntax error", line: "if then", rc: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := Exec(t, c, transport.Cmd{Line: tt.line}); res.RC != tt.rc {
				t.Errorf("rc = %d, want %d (stderr %q)", res.RC, tt.rc, res.Stderr)
			}
		})
	}
}

func testOutputs(t *testing.T, c transport.Conn) {
	res := Exec(t, c, transport.Cmd{Line: "echo out1; echo err1 >&2; printf out2; printf err2 >&2; exit 4"})
	if got, want := string(res.Stdout), "out1\nout2"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := string(res.Stderr), "err1\nerr2"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if res.RC != 4 {
		t.Errorf("rc = %d, want 4", res.RC)
	}
}

func testStdin(t *testing.T, c transport.Conn) {
	t.Run("streamed", func(t *testing.T) {
		data := bytes.Repeat([]byte("0123456789abcdef\n"), 200000) // 3.4 MB
		res := Exec(t, c, transport.Cmd{Line: "cat", Stdin: bytes.NewReader(data)})
		if !bytes.Equal(res.Stdout, data) {
			t.Errorf("cat echoed %d bytes, want %d identical", len(res.Stdout), len(data))
		}
	})
	t.Run("nil gives EOF", func(t *testing.T) {
		res := Exec(t, c, transport.Cmd{Line: "cat; echo done"})
		if string(res.Stdout) != "done\n" {
			t.Errorf("stdout = %q, want %q", res.Stdout, "done\n")
		}
	})
	t.Run("unread", func(t *testing.T) {
		// A command that ignores a large stdin must still finish.
		data := bytes.Repeat([]byte("x"), 4<<20)
		res := Exec(t, c, transport.Cmd{Line: "echo ignored", Stdin: bytes.NewReader(data)})
		if string(res.Stdout) != "ignored\n" {
			t.Errorf("stdout = %q", res.Stdout)
		}
	})
}

func testEnv(t *testing.T, c transport.Conn) {
	env := map[string]string{"A": "x y", "B": `'$(id)"` + "`", "EMPTY": "", "NL": "a\nb"}
	res := Exec(t, c, transport.Cmd{Line: `printf '%s|%s|%s|%s' "$A" "$B" "$EMPTY" "$NL"`, Env: env})
	if got, want := string(res.Stdout), "x y|'$(id)\"`||a\nb"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if _, err := c.Exec(ctx(t), transport.Cmd{Line: "true", Env: map[string]string{"BAD NAME": "x"}}); err == nil {
		t.Error("an invalid variable name was accepted")
	}
}

func testLargeOutput(t *testing.T, c transport.Conn) {
	// Both streams at once: a reader that drains one after the other deadlocks.
	const n = 3 << 20
	res := Exec(t, c, transport.Cmd{Line: fmt.Sprintf("yes o | head -c %d & yes e | head -c %d >&2; wait", n, n)})
	if len(res.Stdout) != n || len(res.Stderr) != n {
		t.Fatalf("got %d stdout and %d stderr bytes, want %d each", len(res.Stdout), len(res.Stderr), n)
	}
	if !bytes.Equal(res.Stdout[:4], []byte("o\no\n")) || !bytes.Equal(res.Stderr[:4], []byte("e\ne\n")) {
		t.Errorf("streams mixed up: %q / %q", res.Stdout[:4], res.Stderr[:4])
	}
}

// Hostile are strings that break naive quoting.
var Hostile = []string{"", " ", "a b", "'", `"`, `'"'"'`, "$(id)", "`id`", "$HOME", "*", "~", "a\nb", "\\", "!", "#x", ";rm -rf /nonexistent;", "&", "|", "<>", "-n", "%s", "\t", "é€", "\x01\x7f"}

func testQuoting(t *testing.T, c transport.Conn) {
	for i, s := range Hostile {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			res := Exec(t, c, transport.Cmd{Line: shellquote.Join("printf", "%s", s)})
			if string(res.Stdout) != s || res.RC != 0 {
				t.Errorf("printf %%s %q gave %q rc %d", s, res.Stdout, res.RC)
			}
		})
	}
	dir := ScratchDir(t, c)
	name := dir + "/it's a $(file) `x`"
	if err := c.Upload(ctx(t), strings.NewReader("hostile"), name, 0o600); err != nil {
		t.Fatalf("upload to hostile name: %v", err)
	}
	res := Exec(t, c, transport.Cmd{Line: "cat " + shellquote.Quote(name)})
	if string(res.Stdout) != "hostile" {
		t.Errorf("cat hostile name = %q rc %d %q", res.Stdout, res.RC, res.Stderr)
	}
}

func testSignal(t *testing.T, c transport.Conn) {
	res := Exec(t, c, transport.Cmd{Line: "echo before; kill -9 $$"})
	if res.RC >= 0 {
		t.Errorf("rc = %d for a command killed by SIGKILL, want negative", res.RC)
	}
	if !strings.Contains(string(res.Stderr), "signal") {
		t.Errorf("stderr %q does not mention the signal", res.Stderr)
	}
	if string(res.Stdout) != "before\n" {
		t.Errorf("stdout = %q", res.Stdout)
	}
}

func testCancel(t *testing.T, c transport.Conn) {
	dir := ScratchDir(t, c)
	pidFile := shellquote.Quote(dir + "/pid")
	cx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(cx, transport.Cmd{Line: "sleep 30 & echo $! > " + pidFile + "; wait"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancel took %s", d)
	}
	// The command is killed, child processes included, and the
	// connection stays usable.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		// A killed orphan may stay a zombie until init reaps it: that is gone.
		res := Exec(t, c, transport.Cmd{Line: "st=$(ps -o stat= -p $(cat " + pidFile + ")); case $st in ''|Z*) echo gone;; *) echo alive;; esac"})
		if string(res.Stdout) == "gone\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled command's child is still running: %q", res.Stdout)
		}
	}
}

func testUpload(t *testing.T, c transport.Conn) {
	dir := ScratchDir(t, c)
	tests := []struct {
		name string
		data []byte
		mode string
	}{
		{name: "small 0640", data: []byte("hello\n"), mode: "640"},
		{name: "empty 0600", data: nil, mode: "600"},
		{name: "large 0755", data: bytes.Repeat([]byte("big\n"), 1<<19), mode: "755"},
		{name: "overwrite 0444", data: []byte("second"), mode: "444"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("%s/f%d", dir, i)
			if tt.name == "overwrite 0444" {
				path = dir + "/f0"
			}
			mode, err := strconv.ParseUint(tt.mode, 8, 32)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Upload(ctx(t), bytes.NewReader(tt.data), path, fs.FileMode(mode)); err != nil {
				t.Fatalf("upload: %v", err)
			}
			res := Exec(t, c, transport.Cmd{Line: "stat -c %a " + shellquote.Quote(path)})
			if got := strings.TrimSpace(string(res.Stdout)); got != tt.mode {
				t.Errorf("mode = %s, want %s", got, tt.mode)
			}
			var buf bytes.Buffer
			if err := c.Download(ctx(t), path, &buf); err != nil {
				t.Fatalf("download: %v", err)
			}
			if !bytes.Equal(buf.Bytes(), tt.data) {
				t.Errorf("read back %d bytes, want %d identical", buf.Len(), len(tt.data))
			}
		})
	}
	res := Exec(t, c, transport.Cmd{Line: "ls -A " + shellquote.Quote(dir)})
	if got := strings.Fields(string(res.Stdout)); len(got) != 3 {
		t.Errorf("dir holds %q, want f0 f1 f2 and no temporary files", got)
	}
	if err := c.Upload(ctx(t), strings.NewReader("x"), dir+"/missing/f", 0o644); err == nil {
		t.Error("upload into a missing directory succeeded")
	}
}

// failingReader returns some data then an error, as a broken source would.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("source broke")
	}
	n := min(len(p), r.n)
	for i := range p[:n] {
		p[i] = 'n'
	}
	r.n -= n
	return n, nil
}

func testUploadAtomic(t *testing.T, c transport.Conn) {
	dir := ScratchDir(t, c)
	path := dir + "/target"
	if err := c.Upload(ctx(t), strings.NewReader("old"), path, 0o644); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if err := c.Upload(ctx(t), &failingReader{n: 100000}, path, 0o644); err == nil {
		t.Fatal("upload from a failing reader succeeded")
	}
	var buf bytes.Buffer
	if err := c.Download(ctx(t), path, &buf); err != nil {
		t.Fatalf("download: %v", err)
	}
	if buf.String() != "old" {
		t.Errorf("target holds %d bytes after a failed upload, want the old content", buf.Len())
	}
	res := Exec(t, c, transport.Cmd{Line: "ls -A " + shellquote.Quote(dir)})
	if got := strings.TrimSpace(string(res.Stdout)); got != "target" {
		t.Errorf("dir holds %q after a failed upload, want only target", got)
	}
}

func testDownload(t *testing.T, c transport.Conn) {
	dir := ScratchDir(t, c)
	path := dir + "/rand"
	res := Exec(t, c, transport.Cmd{Line: "head -c 300000 /dev/urandom > " + shellquote.Quote(path) + " && cat " + shellquote.Quote(path)})
	var buf bytes.Buffer
	if err := c.Download(ctx(t), path, &buf); err != nil {
		t.Fatalf("download: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), res.Stdout) || buf.Len() != 300000 {
		t.Errorf("downloaded %d bytes, want the 300000 cat printed", buf.Len())
	}
	if err := c.Download(ctx(t), dir+"/missing", io.Discard); err == nil {
		t.Error("download of a missing file succeeded")
	}
}

func testConcurrency(t *testing.T, c transport.Conn) {
	dir := ScratchDir(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cx := ctx(t)
			if i%3 == 0 {
				path := fmt.Sprintf("%s/c%d", dir, i)
				want := strings.Repeat(fmt.Sprint(i), 1000)
				if err := c.Upload(cx, strings.NewReader(want), path, 0o644); err != nil {
					errs <- err
					return
				}
				var buf bytes.Buffer
				if err := c.Download(cx, path, &buf); err != nil {
					errs <- err
				} else if buf.String() != want {
					errs <- fmt.Errorf("file %d read back wrong", i)
				}
				return
			}
			res, err := c.Exec(cx, transport.Cmd{Line: fmt.Sprintf("sleep 0.05; echo %d; echo e%d >&2", i, i), Stdin: strings.NewReader("in")})
			if err != nil {
				errs <- err
			} else if string(res.Stdout) != fmt.Sprintf("%d\n", i) || string(res.Stderr) != fmt.Sprintf("e%d\n", i) {
				errs <- fmt.Errorf("exec %d got %q / %q", i, res.Stdout, res.Stderr)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testBecomeErrors(t *testing.T, c transport.Conn) {
	_, err := c.Exec(ctx(t), transport.Cmd{Line: "true", Become: &transport.Become{Method: "doas"}})
	if err == nil || !strings.Contains(err.Error(), "doas") {
		t.Errorf("unsupported method: err = %v, want one naming doas", err)
	}
}

// testBecomeSudo runs only where passwordless sudo works for the login user.
func testBecomeSudo(t *testing.T, c transport.Conn) {
	if res, err := c.Exec(ctx(t), transport.Cmd{Line: "sudo -n true"}); err != nil || res.RC != 0 {
		t.Skipf("needs passwordless sudo on the host: sudo -n true: %v %q", err, res.Stderr)
	}
	b := &transport.Become{User: "root"}
	res := Exec(t, c, transport.Cmd{Line: "id -un; echo \"$GREETING\"; echo err >&2; cat; exit 5", Become: b,
		Env: map[string]string{"GREETING": "hi 'there'"}, Stdin: strings.NewReader("piped")})
	if got, want := string(res.Stdout), "root\nhi 'there'\npiped"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if res.RC != 5 || string(res.Stderr) != "err\n" {
		t.Errorf("rc = %d, stderr %q; want 5 and %q", res.RC, res.Stderr, "err\n")
	}
	res = Exec(t, c, transport.Cmd{Line: "if then", Become: b})
	if res.RC != 2 {
		t.Errorf("syntax error under become: rc %d, want 2 (stderr %q)", res.RC, res.Stderr)
	}
}
