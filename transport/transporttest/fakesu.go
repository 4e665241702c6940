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

// fakeSu asks for the password on its terminal, as su does through PAM,
// then runs the -c command without changing user.
const fakeSu = `#!/bin/sh
want=WANT
{ printf 'Password: ' > /dev/tty && IFS= read -r got < /dev/tty; } 2>/dev/null || { echo "su: must be run from a terminal" >&2; exit 1; }
if [ "$got" != "$want" ]; then sleep 0.1; echo "su: Authentication failure" >&2; exit 1; fi
while [ $# -gt 0 ] && [ "$1" != -c ]; do shift; done
exec /bin/sh -c "$2"
`

// RunFakeSu tests the su password conversation through a terminal against a
// fake su put first on PATH. newConn must reach a host that runs commands
// in this process's environment and can give them a terminal.
func RunFakeSu(t *testing.T, newConn func(t *testing.T) transport.Conn) {
	old := run.PromptTimeout
	run.PromptTimeout = 2 * time.Second
	t.Cleanup(func() { run.PromptTimeout = old })
	dir := t.TempDir()
	script := strings.Replace(fakeSu, "WANT", shellquote.Quote("pw 'x"), 1)
	if err := os.WriteFile(filepath.Join(dir, "su"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	c := open(t, newConn)
	tests := []struct {
		name    string
		pw      string
		wantOut string
		wantErr string
	}{
		{name: "right password", pw: "pw 'x", wantOut: "ran\nerr\n"},
		{name: "wrong password", pw: "nope", wantErr: "incorrect su password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Exec(ctx(t), transport.Cmd{Line: "echo ran; echo err >&2", Become: &transport.Become{Method: "su", User: "app", Password: tt.pw}})
			if tt.wantErr != "" {
				if !errors.Is(err, transport.ErrBecome) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("exec: %v (stdout %q)", err, res.Stdout)
			}
			if string(res.Stdout) != tt.wantOut {
				t.Errorf("stdout = %q, want %q (a terminal merges stderr)", res.Stdout, tt.wantOut)
			}
		})
	}
	_, err := c.Exec(ctx(t), transport.Cmd{Line: "cat", Stdin: strings.NewReader("x"), Become: &transport.Become{Method: "su", Password: "pw"}})
	if err == nil {
		t.Error("su with a password and stdin was accepted")
	}
}
