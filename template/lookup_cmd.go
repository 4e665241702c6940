package template

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pipe, lines and sequence.

func init() {
	registerLookup(lookupPipe, "pipe")
	registerLookup(lookupLines, "lines")
	registerLookup(lookupSequence, "sequence")
}

// shell runs term with /bin/sh on the controller in the playbook dir, as Ansible's
// subprocess.Popen(shell=True, cwd=basedir) does; stderr is the controller's.
func (lc *lookupCtx) shell(term string) ([]byte, int, error) {
	cmd := exec.Command("/bin/sh", "-c", term)
	cmd.Dir = lc.basedir()
	cmd.Stdin = bytes.NewReader(nil)
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return out, ee.ExitCode(), nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("run %q: %w", term, err)
	}
	return out, 0, nil
}

// shellOK runs term for the named lookup and fails, as Ansible's pipe and lines
// lookups do, when it exits non-zero.
func (lc *lookupCtx) shellOK(plugin, term string) ([]byte, error) {
	stdout, rc, err := lc.shell(term)
	if err != nil {
		return nil, err
	}
	if rc != 0 {
		return nil, errf("lookup_plugin.%s(%s) returned %d", plugin, term, rc)
	}
	return stdout, nil
}

func lookupPipe(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	var out []any
	for _, t := range terms {
		term := pyStr(t)
		stdout, err := lc.shellOK("pipe", term)
		if err != nil {
			return nil, err
		}
		if !utf8.Valid(stdout) {
			return nil, errf("'utf-8' codec can't decode the output of %s", term)
		}
		out = append(out, strings.TrimRight(string(stdout), " \t\n\r\v\f"))
	}
	return out, nil
}

func lookupLines(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	var out []any
	for _, t := range terms {
		stdout, err := lc.shellOK("lines", pyStr(t))
		if err != nil {
			return nil, err
		}
		for _, l := range splitLines(string(stdout)) {
			out = append(out, l)
		}
	}
	return out, nil
}

// splitLines is Python's bytes.splitlines: \n, \r\n and \r end a line.
func splitLines(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return out
}

// reSeqShortcut is the sequence shortcut form: [start-]end[/stride][:format].
var reSeqShortcut = regexp.MustCompile(`(?i)^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(/(0?x?[0-9a-f]+))?(:(.+))?$`)

type seqSpec struct {
	start, stride int
	end, count    *int
	format        string
}

func lookupSequence(_ *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	var out []any
	for _, t := range terms {
		term := pyStr(t)
		sp := seqSpec{start: 1, stride: 1, format: "%d"}
		if m := reSeqShortcut.FindStringSubmatch(term); m != nil {
			for _, f := range []struct {
				raw, name string
				set       func(int)
			}{
				{m[2], "start", func(n int) { sp.start = n }},
				{m[3], "end", func(n int) { sp.end = &n }},
				{m[5], "stride", func(n int) { sp.stride = n }},
			} {
				if f.raw == "" {
					continue
				}
				n, err := pyInt0(f.raw)
				if err != nil {
					return nil, errf("can't parse %s=%s as integer", f.name, f.raw)
				}
				f.set(n)
			}
			if m[6] != "" {
				sp.format = m[7]
			}
		} else if err := sp.parseKV(term); err != nil {
			return nil, err
		}
		items, err := sp.generate()
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func (sp *seqSpec) parseKV(term string) error {
	kv, err := parseKV(term)
	if err != nil {
		return errf("unknown error parsing with_sequence arguments: %s. Error was: %v", pyRepr(term), err)
	}
	for _, name := range []string{"start", "end", "count", "stride"} {
		raw, ok := kv[name]
		if !ok {
			continue
		}
		delete(kv, name)
		n, err := pyInt0(raw)
		if err != nil {
			return errf("can't parse %s=%s as integer", name, raw)
		}
		switch name {
		case "start":
			sp.start = n
		case "end":
			sp.end = &n
		case "count":
			sp.count = &n
		case "stride":
			sp.stride = n
		}
	}
	if f, ok := kv["format"]; ok {
		sp.format = f
		delete(kv, "format")
	}
	if len(kv) > 0 {
		keys := make([]any, 0, len(kv))
		for _, k := range sortedKeys(anyMap(kv)) {
			keys = append(keys, k)
		}
		return errf("unrecognized arguments to with_sequence: %s", pyRepr(keys))
	}
	return nil
}

func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (sp *seqSpec) generate() ([]any, error) {
	switch {
	case sp.count == nil && sp.end == nil:
		return nil, errf("must specify count or end in with_sequence")
	case sp.count != nil && sp.end != nil:
		return nil, errf("can't specify both count and end in with_sequence")
	case sp.count != nil:
		if *sp.count != 0 {
			e := sp.start + *sp.count*sp.stride - 1
			sp.end = &e
		} else {
			z := 0
			sp.start, sp.end, sp.stride = 0, &z, 0
		}
	}
	end := *sp.end
	if sp.stride > 0 && end < sp.start {
		return nil, errf("to count backwards make stride negative")
	}
	if sp.stride < 0 && end > sp.start {
		return nil, errf("to count forward don't make stride negative")
	}
	if strings.Count(sp.format, "%") != 1 {
		return nil, errf("bad formatting string: %s", sp.format)
	}
	if sp.stride == 0 {
		return []any{}, nil
	}
	var out []any
	adjust := 1
	if sp.stride < 0 {
		adjust = -1
	}
	for i := sp.start; (sp.stride > 0 && i < end+adjust) || (sp.stride < 0 && i > end+adjust); i += sp.stride {
		s, err := pyFormatInt(sp.format, i)
		if err != nil {
			return nil, errf("problem formatting %d with %s", i, pyRepr(sp.format))
		}
		out = append(out, s)
	}
	return out, nil
}

// pyInt0 is Python's int(s, 0): 0x, 0o and 0b prefixes; decimals have no leading zero.
func pyInt0(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	neg := strings.HasPrefix(t, "-")
	t = strings.TrimLeft(t, "+-")
	base := 10
	switch {
	case strings.HasPrefix(t, "0x"):
		base, t = 16, t[2:]
	case strings.HasPrefix(t, "0o"):
		base, t = 8, t[2:]
	case strings.HasPrefix(t, "0b"):
		base, t = 2, t[2:]
	case len(t) > 1 && t[0] == '0' && strings.Trim(t, "0") != "":
		return 0, fmt.Errorf("invalid literal for int() with base 0: %s", pyRepr(s))
	}
	n, err := strconv.ParseInt(t, base, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int() with base 0: %s", pyRepr(s))
	}
	if neg {
		n = -n
	}
	return int(n), nil
}

var rePyIntFormat = regexp.MustCompile(`%([-#0 +]*)(\d*)(?:\.(\d+))?([diouxXeEfFgGcrsa])`)

// pyFormatInt is Python's "fmt % n" for a format holding one conversion.
func pyFormatInt(format string, n int) (string, error) {
	loc := rePyIntFormat.FindStringSubmatchIndex(format)
	if loc == nil {
		return "", fmt.Errorf("bad format")
	}
	flags := format[loc[2]:loc[3]]
	width := format[loc[4]:loc[5]]
	prec := ""
	if loc[6] >= 0 {
		prec = "." + format[loc[6]:loc[7]]
	}
	verb := format[loc[8]:loc[9]]
	var conv string
	switch verb {
	case "d", "i", "u":
		conv = fmt.Sprintf("%"+flags+width+prec+"d", n)
	case "o", "x", "X":
		f := flags
		if strings.Contains(f, "#") && verb == "o" {
			// Python's alternate octal is 0o, Go's is 0
			f = strings.ReplaceAll(f, "#", "")
			conv = fmt.Sprintf("%"+f+width+"s", "0o"+strconv.FormatInt(int64(n), 8))
			break
		}
		conv = fmt.Sprintf("%"+f+width+prec+verb, n)
	case "e", "E", "f", "F", "g", "G":
		if prec == "" && (verb == "e" || verb == "E" || verb == "f" || verb == "F") {
			prec = ".6"
		}
		conv = fmt.Sprintf("%"+flags+width+prec+verb, float64(n))
	case "c":
		conv = fmt.Sprintf("%"+flags+width+"c", rune(n))
	case "s", "r", "a":
		conv = fmt.Sprintf("%"+flags+width+prec+"s", strconv.Itoa(n))
	}
	return format[:loc[0]] + conv + format[loc[1]:], nil
}

// parseKV is Ansible's parse_kv for simple "k=v k2='v 2'" strings: values may be quoted;
// words without "=" are collected under _raw_params.
func parseKV(s string) (map[string]string, error) {
	out := map[string]string{}
	var raw []string
	for _, w := range splitArgs(s) {
		k, v, ok := strings.Cut(w, "=")
		if !ok || strings.ContainsAny(k, " '\"") {
			raw = append(raw, w)
			continue
		}
		out[k] = unquote(v)
	}
	if len(raw) > 0 {
		out["_raw_params"] = strings.Join(raw, " ")
	}
	return out, nil
}

// splitArgs splits on whitespace outside quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	in := false
	for _, r := range s {
		switch {
		case quote != 0:
			cur.WriteRune(r)
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
			in = true
			cur.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			in = true
			cur.WriteRune(r)
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}
