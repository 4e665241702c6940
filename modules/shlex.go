package modules

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/gossible/gossible/transport"
)

// shlexSplit splits a command line as Python's shlex.split (POSIX mode,
// no comments) does: quotes group, backslash escapes outside single
// quotes (inside double quotes only before " and \).
func shlexSplit(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 >= len(s) {
				return nil, fmt.Errorf("No escaped character")
			}
			i++
			cur.WriteByte(s[i])
		case c == '\'':
			inWord = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("No closing quotation")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("No closing quotation")
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

var pySafe = regexp.MustCompile(`^[\w@%+=:,./-]+$`)

// pyShlexJoin joins argv as Python's shlex.join does.
func pyShlexJoin(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		switch {
		case a == "":
			out[i] = "''"
		case pySafe.MatchString(a):
			out[i] = a
		default:
			out[i] = "'" + strings.ReplaceAll(a, "'", `'"'"'`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// splitLines splits as Python's str.splitlines does.
func splitLines(s string) []string {
	out := []string{}
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e:
			out = append(out, s[start:i])
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

var pyVar = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

// expandArgs applies Python's os.path.expandvars and expanduser to each
// argument with the host's environment, as Ansible's run_command does for
// the command module. The environment is fetched only when needed.
func expandArgs(ctx context.Context, env *Env, argv []string) ([]string, error) {
	need := false
	for _, a := range argv {
		if strings.Contains(a, "$") || strings.HasPrefix(a, "~") {
			need = true
		}
	}
	if !need {
		return argv, nil
	}
	res, err := run(ctx, env, "env -0", nil)
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	for _, kv := range strings.Split(string(res.Stdout), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	out := make([]string, len(argv))
	for i, a := range argv {
		a = pyVar.ReplaceAllStringFunc(a, func(m string) string {
			name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(m, "$"), "{"), "}")
			if v, ok := vars[name]; ok {
				return v
			}
			return m
		})
		if strings.HasPrefix(a, "~") {
			user, rest, _ := strings.Cut(a[1:], "/")
			home := ""
			if user == "" {
				home = vars["HOME"]
			} else {
				r, err := run(ctx, env, "getent passwd -- "+q(user)+" | cut -d: -f6", nil)
				if err != nil {
					return nil, err
				}
				home = strings.TrimSpace(string(r.Stdout))
			}
			if home != "" {
				if strings.Contains(a, "/") {
					a = strings.TrimRight(home, "/") + "/" + rest
				} else {
					a = home
				}
			}
		}
		out[i] = a
	}
	return out, nil
}

// execWithStdin runs line, feeding stdin when it is set.
func execWithStdin(ctx context.Context, env *Env, line string, stdin *strings.Reader) (transport.Result, error) {
	var r io.Reader
	if stdin != nil {
		r = stdin
	}
	return run(ctx, env, line, r)
}
