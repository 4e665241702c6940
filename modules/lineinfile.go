package modules

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
)

func init() {
	Register(Info{Name: "ansible.builtin.lineinfile", New: func() Module { return lineinfileModule{} }})
}

type lineinfileArgs struct {
	State        string  `arg:"state"`
	Regexp       *string `arg:"regexp,regex"`
	SearchString *string `arg:"search_string"`
	Line         *string `arg:"line,value"`
	InsertAfter  *string `arg:"insertafter"`
	InsertBefore *string `arg:"insertbefore"`
	Backrefs     bool    `arg:"backrefs"`
	Create       bool    `arg:"create"`
	FirstMatch   bool    `arg:"firstmatch"`
	editArgs
}

type lineinfileModule struct{}

// Run implements ansible.builtin.lineinfile: the file is read whole, its
// lines (each keeping its "\n") searched and edited in Go as Ansible's
// module does, and written back through editFile only when it changed.
func (lineinfileModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a lineinfileArgs
	if r := parseArgs("lineinfile", raw, &a, editPathSpec); r != nil {
		return r, nil
	}
	if r := exclusive(raw, []string{"insertbefore", "insertafter"}, []string{"regexp", "search_string"}, []string{"backrefs", "search_string"}); r != nil {
		return r, nil
	}
	if r := presentOrAbsent(&a.State); r != nil {
		return r, nil
	}
	if r := a.unsupported(); r != nil {
		return r, nil
	}
	o := a.opts()
	if r := checkEditOpts(o); r != nil {
		return r, nil
	}
	if a.Backrefs && a.Regexp == nil {
		return failed("regexp is required with backrefs=true"), nil
	}
	if a.State == "present" && a.Line == nil {
		return failed("line is required with state=present"), nil
	}
	if a.State == "absent" && a.Regexp == nil && a.SearchString == nil && a.Line == nil {
		return failed("one of line, search_string, or regexp is required with state=absent"), nil
	}
	if a.Regexp != nil && *a.Regexp == "" && env.Warn != nil {
		env.Warn("The regular expression is an empty string, which will match every line in the file. " +
			"This may have unintended consequences, such as replacing the last line in the file rather than appending. " +
			"If this is desired, use '^' to match every line in the file and avoid this warning.")
	}
	if a.SearchString != nil && *a.SearchString == "" && env.Warn != nil {
		env.Warn("The search string is an empty string, which will match every line in the file. " +
			"This may have unintended consequences, such as replacing the last line in the file rather than appending.")
	}
	var re, ins *regexp.Regexp
	var err error
	if a.Regexp != nil {
		if re, err = pyRegexp(*a.Regexp, reLine); err != nil {
			return failed(err.Error()), nil
		}
	}
	switch {
	case a.InsertAfter != nil && *a.InsertAfter != "BOF" && *a.InsertAfter != "EOF":
		ins, err = pyRegexp(*a.InsertAfter, reLine)
	case a.InsertBefore != nil && *a.InsertBefore != "BOF":
		ins, err = pyRegexp(*a.InsertBefore, reLine)
	}
	if err != nil {
		return failed(err.Error()), nil
	}
	var tmpl pyTemplate
	if a.Backrefs && a.Line != nil {
		if tmpl, err = parsePyTemplate(re, *a.Line); err != nil {
			return failed(err.Error()), nil
		}
	}
	f, fail, err := a.open(ctx, env)
	if fail != nil || err != nil {
		return fail, err
	}
	l := &lineEdit{a: a, re: re, ins: ins, tmpl: tmpl}
	if a.State == "absent" {
		return l.absent(ctx, env, f, o)
	}
	return l.present(ctx, env, f, o)
}

type lineEdit struct {
	a    lineinfileArgs
	re   *regexp.Regexp
	ins  *regexp.Regexp
	tmpl pyTemplate
}

// readLines is Python's readlines() on a binary file: each line keeps
// its "\n".
func readLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

func trimEOL(b []byte) []byte { return bytes.TrimRight(b, "\r\n") }

func endsInEOL(b []byte) bool {
	return len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r')
}

// pyInsert is Python's list.insert, negative and out-of-range indexes
// included.
func pyInsert(lines [][]byte, i int, v []byte) [][]byte {
	if i < 0 {
		i += len(lines)
		if i < 0 {
			i = 0
		}
	}
	if i > len(lines) {
		i = len(lines)
	}
	lines = append(lines, nil)
	copy(lines[i+1:], lines[i:])
	lines[i] = v
	return lines
}

func (l *lineEdit) present(ctx context.Context, env *Env, f *editFile, o editOpts) (Result, error) {
	a := l.a
	if !f.exists && !a.Create {
		return pathRC(fmt.Sprintf("Destination %s does not exist !", a.Path), 257), nil
	}
	diff := contentDiff(a.Path)
	lines := readLines(f.data)
	if env.Diff {
		diff["before"] = string(f.data)
	}
	line := []byte(*a.Line)
	insAfter := a.InsertAfter != nil
	insBefore := a.InsertBefore != nil
	idx0, idx1 := -1, -1
	var match []int
	var matchLine []byte
	if l.re != nil {
		for n, cur := range lines {
			if m := l.re.FindSubmatchIndex(cur); m != nil {
				idx0, match, matchLine = n, m, cur
				if a.FirstMatch {
					break
				}
			}
		}
	} else if a.SearchString != nil {
		for n, cur := range lines {
			if bytes.Contains(cur, []byte(*a.SearchString)) {
				idx0 = n
				match = []int{}
				if a.FirstMatch {
					break
				}
			}
		}
	}
	if match == nil {
		for n, cur := range lines {
			if bytes.Equal(line, trimEOL(cur)) {
				idx0 = n
			} else if l.ins != nil && l.ins.Match(cur) {
				if insAfter {
					idx1 = n + 1
					if a.FirstMatch {
						break
					}
				}
				if insBefore {
					idx1 = n
					if a.FirstMatch {
						break
					}
				}
			}
		}
	}
	withEOL := func(b []byte) []byte { return append(append([]byte{}, b...), '\n') }
	changed, msg := false, ""
	added := func() { changed, msg = true, "line added" }
	switch {
	case idx0 != -1:
		newLine := line
		if a.Backrefs && match != nil && l.re != nil {
			newLine = l.tmpl.expand(nil, matchLine, match)
		}
		if !bytes.HasSuffix(newLine, []byte("\n")) {
			newLine = withEOL(newLine)
		}
		// An exact line found without regexp/search_string stays where it
		// is (only its line end may be normalised).
		if !bytes.Equal(lines[idx0], newLine) {
			lines[idx0] = newLine
			changed, msg = true, "line replaced"
		}
	case a.Backrefs:
		// No match: a line with unfilled backreferences is not written.
	case insBefore && *a.InsertBefore == "BOF" || insAfter && *a.InsertAfter == "BOF":
		lines = pyInsert(lines, 0, withEOL(line))
		added()
	case insAfter && *a.InsertAfter == "EOF" || idx1 == -1:
		if len(lines) > 0 && !endsInEOL(lines[len(lines)-1]) {
			lines = append(lines, []byte("\n"))
		}
		lines = append(lines, withEOL(line))
		added()
	case insAfter && idx1 != -1:
		if len(lines) == idx1 {
			if !bytes.Equal(trimEOL(lines[idx1-1]), line) {
				lines = append(lines, withEOL(line))
				added()
			}
		} else if !bytes.Equal(line, trimEOL(lines[idx1])) {
			lines = pyInsert(lines, idx1, withEOL(line))
			added()
		}
	default:
		lines = pyInsert(lines, idx1, withEOL(line))
		added()
	}
	data := bytes.Join(lines, nil)
	if env.Diff {
		diff["after"] = string(data)
	}
	if env.Check && !f.exists {
		return Result{"changed": changed, "msg": msg, "backup": "", "diff": diff}, nil
	}
	c, fail, err := f.commit(ctx, env, changed, msg, data, o)
	if fail != nil || err != nil {
		return fail, err
	}
	return Result{"changed": c.changed, "msg": c.msg, "backup": c.backup, "diff": []any{diff, c.attrDiff}}, nil
}

func (l *lineEdit) absent(ctx context.Context, env *Env, f *editFile, o editOpts) (Result, error) {
	a := l.a
	if !f.exists {
		return Result{"changed": false, "msg": "file not present"}, nil
	}
	diff := contentDiff(a.Path)
	if env.Diff {
		diff["before"] = string(f.data)
	}
	var kept [][]byte
	found := 0
	for _, cur := range readLines(f.data) {
		var hit bool
		switch {
		case l.re != nil:
			hit = l.re.Match(cur)
		case a.SearchString != nil:
			hit = bytes.Contains(cur, []byte(*a.SearchString))
		default:
			hit = bytes.Equal([]byte(*a.Line), trimEOL(cur))
		}
		if hit {
			found++
		} else {
			kept = append(kept, cur)
		}
	}
	data := bytes.Join(kept, nil)
	if env.Diff {
		diff["after"] = string(data)
	}
	msg := ""
	if found > 0 {
		msg = fmt.Sprintf("%d line(s) removed", found)
	}
	c, fail, err := f.commit(ctx, env, found > 0, msg, data, o)
	if fail != nil || err != nil {
		return fail, err
	}
	return Result{"changed": c.changed, "found": found, "msg": c.msg, "backup": c.backup, "diff": []any{diff, c.attrDiff}}, nil
}
