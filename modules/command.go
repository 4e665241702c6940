package modules

import (
	"context"
	"fmt"
	"strings"
	"time"
)

func init() {
	Register(Info{Name: "ansible.builtin.command", FreeForm: true, New: func() Module { return commandModule{} }})
	Register(Info{Name: "ansible.builtin.shell", FreeForm: true, New: func() Module { return commandModule{shell: true} }})
}

type commandArgs struct {
	Raw        *string  `arg:"_raw_params"`
	Cmd        *string  `arg:"cmd" hide:"1"`
	UsesShell  bool     `arg:"_uses_shell"`
	Argv       []string `arg:"argv"`
	Chdir      string   `arg:"chdir"`
	Executable string   `arg:"executable"`
	Creates    string   `arg:"creates"`
	Removes    string   `arg:"removes"`
	Stdin      *string  `arg:"stdin"`
	AddNewline *bool    `arg:"stdin_add_newline"`
	Strip      *bool    `arg:"strip_empty_ends"`
}

// marker prefixes lines the wrapper script writes on stderr to report what
// Python's os.chdir/execve would have raised, so results match Ansible's.
const marker = "GOSSIBLE-CMD:"

type commandModule struct{ shell bool }

// Run implements command and shell: one round trip (two when an argument
// needs the host's environment for $VAR or ~ expansion, as Ansible's
// run_command expands them for command).
func (m commandModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a commandArgs
	if err := decodeArgs("ansible.legacy.command", raw, &a); err != nil {
		return failed(err.Error()), nil
	}
	if a.Cmd != nil && a.Raw == nil {
		a.Raw = a.Cmd
	}
	shell := m.shell || a.UsesShell
	r := Result{"changed": false, "stdout": "", "stderr": "", "rc": nil, "cmd": nil, "start": nil, "end": nil, "delta": nil, "msg": ""}
	if a.Executable != "" && !shell {
		if env.Warn != nil {
			env.Warn(fmt.Sprintf("As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '%s'.", a.Executable))
		}
		a.Executable = ""
	}
	rawText := ""
	if a.Raw != nil {
		rawText = *a.Raw
	}
	if strings.TrimSpace(rawText) == "" && len(a.Argv) == 0 {
		r["rc"], r["msg"], r["failed"] = 256, "no command given", true
		return withLines(r), nil
	}
	if rawText != "" && len(a.Argv) > 0 {
		r["rc"], r["msg"], r["failed"] = 256, "only command or argv can be given, not both", true
		return withLines(r), nil
	}
	var argv []string
	if shell {
		if rawText == "" {
			rawText = strings.Join(a.Argv, " ")
		}
		r["cmd"] = rawText
	} else {
		if rawText != "" {
			var err error
			if argv, err = shlexSplit(rawText); err != nil {
				r["rc"], r["msg"], r["failed"] = 256, err.Error(), true
				return withLines(r), nil
			}
		} else {
			argv = a.Argv
		}
		r["cmd"] = argv
	}
	// chdir, creates and removes are "path" arguments: $VAR and ~ expand
	// on the host.
	exp, err := expandArgs(ctx, env, []string{a.Chdir, a.Creates, a.Removes})
	if err != nil {
		return nil, err
	}
	a.Chdir, a.Creates, a.Removes = exp[0], exp[1], exp[2]
	// The wrapper: chdir, creates/removes, then the command itself.
	var pre []string
	if a.Chdir != "" {
		d := q(a.Chdir)
		pre = append(pre, "if [ ! -e "+d+" ]; then echo '"+marker+"chdir:2' >&2; exit 1; fi",
			"if [ ! -d "+d+" ]; then echo '"+marker+"chdir:20' >&2; exit 1; fi",
			"cd -- "+d+" 2>/dev/null || { echo '"+marker+"chdir:13' >&2; exit 1; }")
	}
	if a.Creates != "" {
		pre = append(pre, "for f in "+globWord(a.Creates)+"; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo '"+marker+"creates' >&2; exit 0; fi; done")
	}
	if a.Removes != "" {
		pre = append(pre, "found=; for f in "+globWord(a.Removes)+"; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then found=1; fi; done; if [ -z \"$found\" ]; then echo '"+marker+"removes' >&2; exit 0; fi")
	}
	shoulda := "Did"
	if env.Check {
		shoulda = "Would"
	}
	skip := func(which string) Result {
		r["rc"] = 0
		if which == "creates" {
			r["msg"] = fmt.Sprintf("%s not run command since '%s' exists", shoulda, a.Creates)
			r["stdout"] = fmt.Sprintf("skipped, since %s exists", a.Creates)
		} else {
			r["msg"] = fmt.Sprintf("%s not run command since '%s' does not exist", shoulda, a.Removes)
			r["stdout"] = fmt.Sprintf("skipped, since %s does not exist", a.Removes)
		}
		return withLines(r)
	}
	chdirFail := func(code string) Result {
		r["failed"] = true
		r["msg"] = "Unable to change directory before execution: " + pyOSError(code, a.Chdir)
		return withLines(r)
	}
	if env.Check {
		if len(pre) > 0 {
			res, err := run(ctx, env, strings.Join(pre, "; ")+"; exit 0", nil)
			if err != nil {
				return nil, err
			}
			if code, ok := markerIn(res.Stderr, "chdir:"); ok {
				return chdirFail(code), nil
			}
			for _, w := range []string{"creates", "removes"} {
				if _, ok := markerIn(res.Stderr, w); ok {
					return skip(w), nil
				}
			}
		}
		r["changed"] = true
		r["rc"] = 0
		r["msg"] = "Command would have run if not in check mode"
		if a.Creates == "" && a.Removes == "" {
			r["skipped"] = true
			r["changed"] = false
		}
		return withLines(r), nil
	}
	if !shell {
		var err error
		if argv, err = expandArgs(ctx, env, argv); err != nil {
			return nil, err
		}
		a0 := q(argv[0])
		pre = append(pre, "case "+a0+" in */*) "+
			"if [ ! -e "+a0+" ]; then echo '"+marker+"exec:2' >&2; exit 127; fi; "+
			"if [ -d "+a0+" ] || [ ! -x "+a0+" ]; then echo '"+marker+"exec:13' >&2; exit 126; fi;; "+
			"*) p=; oifs=$IFS; IFS=:; for d in $PATH; do if [ -f \"${d:-.}\"/"+a0+" ] && [ -x \"${d:-.}\"/"+a0+" ]; then p=1; break; fi; done; IFS=$oifs; "+
			"if [ -z \"$p\" ]; then echo '"+marker+"exec:2' >&2; exit 127; fi;; esac",
			"exec "+joinQuoted(argv))
	} else {
		sh := "/bin/sh"
		if a.Executable != "" {
			sh = a.Executable
		}
		pre = append(pre, "exec "+q(sh)+" -c "+q(rawText))
	}
	var stdin *strings.Reader
	if a.Stdin != nil {
		in := *a.Stdin
		if a.AddNewline == nil || *a.AddNewline {
			in += "\n"
		}
		stdin = strings.NewReader(in)
	}
	start := time.Now()
	res, err := execWithStdin(ctx, env, strings.Join(pre, "; "), stdin)
	end := time.Now()
	if err != nil {
		return nil, err
	}
	if res.RC != 0 || len(res.Stderr) > 0 {
		if code, ok := markerIn(res.Stderr, "chdir:"); ok {
			return chdirFail(code), nil
		}
		if code, ok := markerIn(res.Stderr, "exec:"); ok {
			return withLines(Result{"changed": false, "failed": true, "rc": atoiOr(code, 2), "cmd": pyShlexJoin(argv),
				"msg": pyOSError(code, argv[0]), "stdout": "", "stderr": ""}), nil
		}
	}
	for _, w := range []string{"creates", "removes"} {
		if _, ok := markerIn(res.Stderr, w); ok && res.RC == 0 {
			return skip(w), nil
		}
	}
	stdout, stderr := string(res.Stdout), string(res.Stderr)
	if a.Strip == nil || *a.Strip {
		stdout, stderr = strings.TrimRight(stdout, "\r\n"), strings.TrimRight(stderr, "\r\n")
	}
	r["changed"] = true
	r["rc"] = res.RC
	r["stdout"], r["stderr"] = stdout, stderr
	r["start"], r["end"], r["delta"] = pyTime(start), pyTime(end), pyDelta(end.Sub(start))
	if res.RC != 0 {
		r["failed"] = true
		r["msg"] = "non-zero return code"
	}
	return withLines(r), nil
}

func withLines(r Result) Result {
	if s, ok := r["stdout"].(string); ok {
		r["stdout_lines"] = splitLines(s)
	}
	if s, ok := r["stderr"].(string); ok {
		r["stderr_lines"] = splitLines(s)
	}
	return r
}

// markerIn finds a wrapper marker line on stderr and returns its argument.
func markerIn(stderr []byte, what string) (string, bool) {
	for _, l := range strings.Split(string(stderr), "\n") {
		if rest, ok := strings.CutPrefix(l, marker+what); ok {
			return rest, true
		}
	}
	return "", false
}

// pyOSError renders an OSError as Python does for a path given as bytes.
func pyOSError(code, p string) string {
	text := map[string]string{"2": "No such file or directory", "13": "Permission denied", "20": "Not a directory"}[code]
	return fmt.Sprintf("[Errno %s] %s: b%s", code, text, pyRepr(p))
}

// pyRepr quotes a string as Python's repr does (single quotes unless the
// text holds one and no double quote).
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"`
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func atoiOr(s string, def int) int {
	if n := parseID(s); n >= 0 {
		return n
	}
	return def
}

// pyTime formats a time as Python's str(datetime.now()).
func pyTime(t time.Time) string {
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// pyDelta formats a duration as Python's str(timedelta).
func pyDelta(d time.Duration) string {
	us := d.Microseconds()
	h, m, s := us/3600e6, us/60e6%60, us/1e6%60
	frac := us % 1e6
	if frac == 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d:%02d.%06d", h, m, s, frac)
}

// globWord renders a creates/removes pattern for a shell `for` list: glob
// characters stay live, everything else is quoted.
func globWord(p string) string {
	var b strings.Builder
	lit := ""
	flush := func() {
		if lit != "" {
			b.WriteString(q(lit))
			lit = ""
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*', '?':
			flush()
			b.WriteByte(c)
		case '[':
			if j := strings.IndexByte(p[i+1:], ']'); j > 0 {
				flush()
				class := p[i+1 : i+1+j]
				neg := strings.HasPrefix(class, "!")
				class = strings.TrimPrefix(class, "!")
				b.WriteByte('[')
				if neg {
					b.WriteByte('!')
				}
				for _, r := range class {
					if r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
						b.WriteRune(r)
					} else {
						b.WriteString(q(string(r)))
					}
				}
				b.WriteByte(']')
				i += j + 1
				continue
			}
			lit += string(c)
		default:
			lit += string(c)
		}
	}
	flush()
	return b.String()
}

func joinQuoted(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = q(a)
	}
	return strings.Join(out, " ")
}
