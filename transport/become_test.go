package transport

import (
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/shellquote"
)

// keyRE matches the per-command random key in markers and prompts.
var keyRE = regexp.MustCompile(`[0-9a-f]{24}`)

// inner is the wrapped form of `echo "$HOME" it's` that every method runs.
const inner = `/bin/sh -c 'echo BECOME-SUCCESS-KEY; eval '\''echo "$HOME" it'\''\'\'''\''s'\'''`

func TestWrapBecome(t *testing.T) {
	tests := []struct {
		name       string
		become     Become
		wantLine   string
		wantPrompt bool
		wantPTY    bool
		wantErr    string
	}{
		{name: "sudo default", become: Become{}, wantLine: "sudo -H -S -n -u root " + inner},
		{name: "sudo user", become: Become{Method: "sudo", User: "post gres"}, wantLine: "sudo -H -S -n -u 'post gres' " + inner},
		{name: "sudo password", become: Become{Password: "pw"}, wantPrompt: true,
			wantLine: "sudo -H -S -p '[sudo via gossible, key=KEY] password:' -u root " + inner},
		{name: "sudo flags replace defaults", become: Become{Flags: "-E -n"}, wantLine: "sudo -E -n -u root " + inner},
		{name: "sudo password drops -n in clusters", become: Become{Flags: "-HnS --non-interactive -E -unobody", Password: "pw"}, wantPrompt: true,
			wantLine: "sudo -HS -E -unobody -p '[sudo via gossible, key=KEY] password:' -u root " + inner},
		{name: "su", become: Become{Method: "su", User: "app"}, wantLine: "su app -c " + shellquote.Quote(inner)},
		{name: "su password", become: Become{Method: "su", Flags: "-", Password: "pw"}, wantPTY: true,
			wantLine: "su - root -c " + shellquote.Quote(inner)},
		{name: "unsupported", become: Become{Method: "doas"}, wantErr: `unsupported become method "doas"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := WrapBecome(`echo "$HOME" it's`, &tt.become)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := keyRE.ReplaceAllString(e.Line, "KEY"); got != tt.wantLine {
				t.Errorf("line\n got %s\nwant %s", got, tt.wantLine)
			}
			if (e.Prompt != "") != tt.wantPrompt || e.PTY != tt.wantPTY {
				t.Errorf("prompt %q pty %v, want prompt %v pty %v", e.Prompt, e.PTY, tt.wantPrompt, tt.wantPTY)
			}
			if !strings.HasPrefix(e.Success, "BECOME-SUCCESS-") {
				t.Errorf("success marker %q", e.Success)
			}
		})
	}
}

// The wrapped line must run the original command unchanged once the become
// tool hands it to a shell: check with sudo and su shell functions that just
// run their command.
func TestWrapBecomeRuns(t *testing.T) {
	const fakes = `sudo() { while [ $# -gt 0 ] && [ "$1" != /bin/sh ]; do shift; done; "$@"; }; ` +
		`su() { while [ $# -gt 0 ] && [ "$1" != -c ]; do shift; done; /bin/sh -c "$2"; }; `
	for _, method := range []string{"sudo", "su"} {
		t.Run(method, func(t *testing.T) {
			e, err := WrapBecome(`printf '%s|' "$0" it\'s "$(echo x)"; exit 3`, &Become{Method: method})
			if err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("/bin/sh", "-c", fakes+e.Line).Output()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 3 {
				t.Fatalf("exit: %v", err)
			}
			if want := e.Success + "\n/bin/sh|it's|x|"; string(out) != want {
				t.Errorf("output %q, want %q", out, want)
			}
		})
	}
}

func TestBecomeErrorUnwrap(t *testing.T) {
	err := error(&BecomeError{Method: "sudo", User: "root", Msg: "incorrect sudo password", Output: "Sorry, try again."})
	if !errors.Is(err, ErrBecome) {
		t.Error("BecomeError does not wrap ErrBecome")
	}
	if got, want := err.Error(), "sudo to root failed: incorrect sudo password: Sorry, try again."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
