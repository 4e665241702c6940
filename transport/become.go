package transport

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/gossible/gossible/internal/shellquote"
)

// ErrBecome is wrapped by every error that means privilege escalation failed
// before the command ran (wrong or missing password, sudo refused, timeout).
var ErrBecome = errors.New("privilege escalation failed")

// BecomeError says why escalation failed; Output is what sudo or su printed.
type BecomeError struct {
	Method string
	User   string
	Msg    string // e.g. "incorrect sudo password", "missing sudo password"
	Output string
}

func (e *BecomeError) Error() string {
	s := fmt.Sprintf("%s to %s failed: %s", e.Method, e.User, e.Msg)
	if out := strings.TrimSpace(e.Output); out != "" && !strings.Contains(e.Msg, out) {
		s += ": " + out
	}
	return s
}

func (e *BecomeError) Unwrap() error { return ErrBecome }

// Escalation is a command line wrapped for privilege escalation, plus what a
// Conn needs to drive the password conversation.
type Escalation struct {
	Method string
	User   string
	// Line is the wrapped command, to be run with /bin/sh -c.
	Line string
	// Prompt is the password prompt to wait for; empty when none is expected.
	// For sudo it is unique to this command and appears on stderr.
	Prompt string
	// PromptRE matches a prompt that cannot be chosen (su's, from PAM); it
	// appears on the terminal, i.e. stdout, before Success.
	PromptRE *regexp.Regexp
	// Password answers the prompt; the Conn writes it plus "\n" on stdin.
	Password string
	// Success is a line the wrapped command prints on stdout once the
	// escalation worked and just before the real command starts; the Conn
	// strips it from stdout. Its absence means the command never ran.
	Success string
	// PTY is set when the method reads the password from a terminal (su).
	PTY bool
}

// DefaultSudoFlags are sudo's flags when Become.Flags is empty (as Ansible's
// become_flags default); -n is dropped when a password is given.
const DefaultSudoFlags = "-H -S -n"

// suPromptRE matches su's PAM password prompt in the common locales.
var suPromptRE = regexp.MustCompile(`(?i)(password|passwort|mot de passe|contraseña|senha|wachtwoord|lösenord|пароль|密码|密碼|パスワード|암호)[^\n]*[:：]\s*$`)

// WrapBecome wraps line so it runs as b.User through b.Method:
//
//	sudo -H -S -n -u USER /bin/sh -c 'echo MARKER; eval LINE'            (no password)
//	sudo -H -S -p PROMPT -u USER /bin/sh -c 'echo MARKER; eval LINE'     (password on stdin)
//	su FLAGS USER -c '/bin/sh -c ...'                                    (password via a terminal)
//
// Flags, when set, replace the method's default flags as Ansible's
// become_flags does; each word is shell-quoted. An unknown method is an error.
func WrapBecome(line string, b *Become) (Escalation, error) {
	if b == nil {
		return Escalation{}, errors.New("wrap become: no become settings")
	}
	method := b.Method
	if method == "" {
		method = "sudo"
	}
	user := b.User
	if user == "" {
		user = "root"
	}
	key := randomKey()
	e := Escalation{Method: method, User: user, Password: b.Password, Success: "BECOME-SUCCESS-" + key}
	// eval defers parsing of line until after the marker is printed, so a
	// syntax error in line is reported as the command's failure, not as a
	// failed escalation.
	inner := shellquote.Join("/bin/sh", "-c", "echo "+e.Success+"; eval "+shellquote.Quote(line))
	switch method {
	case "sudo":
		flags := strings.Fields(b.Flags)
		if b.Flags == "" {
			flags = strings.Fields(DefaultSudoFlags)
		}
		words := []string{"sudo"}
		for _, f := range flags {
			if b.Password != "" {
				f = dropNonInteractive(f)
				if f == "" {
					continue
				}
			}
			words = append(words, shellquote.Quote(f))
		}
		if b.Password != "" {
			e.Prompt = "[sudo via gossible, key=" + key + "] password:"
			words = append(words, "-p", shellquote.Quote(e.Prompt))
		}
		words = append(words, "-u", shellquote.Quote(user), inner)
		e.Line = strings.Join(words, " ")
	case "su":
		words := []string{"su"}
		for _, f := range strings.Fields(b.Flags) {
			words = append(words, shellquote.Quote(f))
		}
		words = append(words, shellquote.Quote(user), "-c", shellquote.Quote(inner))
		e.Line = strings.Join(words, " ")
		if b.Password != "" {
			e.PromptRE = suPromptRE
			e.PTY = true
		}
	default:
		return Escalation{}, fmt.Errorf("unsupported become method %q: gossible supports sudo and su", method)
	}
	return e, nil
}

// dropNonInteractive removes sudo's -n from one flag word ("-n", "-Hn",
// "--non-interactive"): with a password sudo must be allowed to prompt. In a
// cluster, letters after one that takes a value ("-unobody") are the value.
func dropNonInteractive(f string) string {
	if f == "-n" || f == "--non-interactive" {
		return ""
	}
	if len(f) < 2 || f[0] != '-' || f[1] == '-' {
		return f
	}
	out := []byte{'-'}
	for i := 1; i < len(f); i++ {
		c := f[i]
		if strings.IndexByte("ugpCDrtTUh", c) >= 0 {
			out = append(out, f[i:]...)
			break
		}
		if c != 'n' {
			out = append(out, c)
		}
	}
	if len(out) == 1 {
		return ""
	}
	return string(out)
}

func randomKey() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms.
		panic("crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
