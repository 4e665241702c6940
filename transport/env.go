package transport

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gossible/gossible/internal/shellquote"
)

// CommandLine returns cmd.Line prefixed with `export K=V;` for each entry of
// cmd.Env, in name order. Env goes into the line itself (not ssh Setenv, which
// sshd refuses by default) so it also survives sudo's environment reset when
// the result is wrapped by WrapBecome.
func CommandLine(cmd Cmd) (string, error) {
	if len(cmd.Env) == 0 {
		return cmd.Line, nil
	}
	names := make([]string, 0, len(cmd.Env))
	for k := range cmd.Env {
		if !validEnvName(k) {
			return "", fmt.Errorf("invalid environment variable name %q: want letters, digits and _ not starting with a digit", k)
		}
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		v := cmd.Env[k]
		if strings.IndexByte(v, 0) >= 0 {
			return "", fmt.Errorf("environment variable %s contains a NUL byte", k)
		}
		b.WriteString("export ")
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(shellquote.Quote(v))
		b.WriteString("; ")
	}
	b.WriteString(cmd.Line)
	return b.String(), nil
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
