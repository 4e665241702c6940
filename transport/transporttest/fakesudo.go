package transporttest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/internal/run"
)

// fakeSudo speaks sudo's -S/-p/-n protocol without changing user, so the
// password conversation can be tested without root or a sudoers entry.
// WANT is the password; "HANG" makes it never prompt.
const fakeSudo = `#!/bin/sh
want=WANT
prompt='Password:'
nonint=0
while [ $# -gt 0 ]; do
  case "$1" in
    -p) prompt=$2; shift 2 ;;
    -u) shift 2 ;;
    -n) nonint=1; shift ;;
    -H|-S) shift ;;
    -*) echo "sudo: unknown option $1" >&2; exit 1 ;;
    *) break ;;
  esac
done
if [ "$want" = HANG ]; then sleep 30; exit 1; fi
tries=0
while :; do
  if [ $nonint = 1 ]; then echo "sudo: a password is required" >&2; exit 1; fi
  printf '%s' "$prompt" >&2
  IFS= read -r got || { echo "sudo: no password was provided" >&2; exit 1; }
  [ "$got" = "$want" ] && break
  tries=$((tries+1))
  if [ $tries -ge 3 ]; then echo "sudo: 3 incorrect password attempts" >&2; exit 1; fi
  echo "Sorry, try again." >&2
done
exec "$@"
`

// InstallFakeSudo puts a fake sudo expecting password first on PATH for the
// rest of the test. Only for hosts that are this process (local, sshtest).
func InstallFakeSudo(t *testing.T, password string) {
	t.Helper()
	dir := t.TempDir()
	script := strings.Replace(fakeSudo, "WANT", shellquote.Quote(password), 1)
	if err := os.WriteFile(filepath.Join(dir, "sudo"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// RunFakeSudo tests the become password conversation against a fake sudo.
// newConn must reach a host that runs commands in this process's
// environment (local, or the in-process sshtest server).
func RunFakeSudo(t *testing.T, newConn func(t *testing.T) transport.Conn) {
	tests := []struct {
		name     string
		sudoPW   string // what the fake sudo wants
		givenPW  string
		stdin    string
		wantOut  string
		wantErr  string
		maxDelay time.Duration
	}{
		{name: "right password", sudoPW: "s3cr'et", givenPW: "s3cr'et", stdin: "data\nmore", wantOut: "ran\ndata\nmore"},
		{name: "right password no stdin", sudoPW: "pw", givenPW: "pw", wantOut: "ran\n"},
		{name: "wrong password", sudoPW: "pw", givenPW: "nope", stdin: "data", wantErr: "incorrect sudo password"},
		{name: "missing password", sudoPW: "pw", givenPW: "", wantErr: "missing sudo password"},
		{name: "no prompt ever", sudoPW: "HANG", givenPW: "pw", wantErr: "timeout"},
	}
	old := run.PromptTimeout
	run.PromptTimeout = 700 * time.Millisecond
	t.Cleanup(func() { run.PromptTimeout = old })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			InstallFakeSudo(t, tt.sudoPW)
			c := open(t, newConn)
			cmd := transport.Cmd{Line: "echo ran; cat", Become: &transport.Become{Password: tt.givenPW}}
			if tt.stdin != "" {
				cmd.Stdin = strings.NewReader(tt.stdin)
			}
			start := time.Now()
			res, err := c.Exec(ctx(t), cmd)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, transport.ErrBecome) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrBecome with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("exec: %v (stderr %q)", err, res.Stderr)
			}
			if string(res.Stdout) != tt.wantOut {
				t.Errorf("stdout = %q, want %q", res.Stdout, tt.wantOut)
			}
			if len(res.Stderr) != 0 {
				t.Errorf("stderr = %q, want the prompt stripped", res.Stderr)
			}
		})
	}
}
