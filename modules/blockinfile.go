package modules

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.blockinfile", New: func() Module { return blockinfileModule{} }})
}

type blockinfileArgs struct {
	State        string  `arg:"state"`
	Marker       *string `arg:"marker"`
	Block        string  `arg:"block,content"`
	InsertAfter  *string `arg:"insertafter"`
	InsertBefore *string `arg:"insertbefore"`
	Create       bool    `arg:"create"`
	MarkerBegin  *string `arg:"marker_begin"`
	MarkerEnd    *string `arg:"marker_end"`
	editArgs
}

type blockinfileModule struct{}

// Run implements ansible.builtin.blockinfile: the lines between the two
// marker lines are replaced by the block (or the block with its markers is
// inserted at insertafter/insertbefore, at the end by default), and the
// file is written back through editFile when the text changed.
func (blockinfileModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a blockinfileArgs
	if r := parseArgs("blockinfile", raw, &a, editPathSpec); r != nil {
		return r, nil
	}
	if r := exclusive(raw, []string{"insertbefore", "insertafter"}); r != nil {
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
	marker, begin, end := "# {mark} ANSIBLE MANAGED BLOCK", "BEGIN", "END"
	if a.Marker != nil {
		marker = *a.Marker
	}
	if a.MarkerBegin != nil {
		begin = *a.MarkerBegin
	}
	if a.MarkerEnd != nil {
		end = *a.MarkerEnd
	}
	var ins *regexp.Regexp
	var err error
	switch {
	case a.InsertAfter != nil && *a.InsertAfter != "EOF":
		ins, err = pyRegexp(*a.InsertAfter, reLine)
	case a.InsertBefore != nil && *a.InsertBefore != "BOF":
		ins, err = pyRegexp(*a.InsertBefore, reLine)
	}
	if err != nil {
		return failed(err.Error()), nil
	}
	f, fail, err := a.open(ctx, env)
	if fail != nil || err != nil {
		return fail, err
	}
	if !f.exists && !a.Create {
		return pathRC(fmt.Sprintf("Path %s does not exist !", a.Path), 257), nil
	}
	diff := contentDiff(a.Path)
	if env.Diff && f.exists {
		diff["before"] = string(f.data)
	}
	present := a.State == "present"
	if !present && !f.exists {
		return Result{"changed": false, "msg": fmt.Sprintf("File %s not present", a.Path)}, nil
	}
	lines := splitPyLines(f.data)
	marker0 := []byte(strings.ReplaceAll(marker, "{mark}", begin) + "\n")
	marker1 := []byte(strings.ReplaceAll(marker, "{mark}", end) + "\n")
	var block [][]byte
	if present && a.Block != "" {
		block = append(block, marker0)
		for _, l := range splitPyLines([]byte(a.Block)) {
			block = append(block, append(bytes.TrimRight(l, "\r\n"), '\n'))
		}
		block = append(block, marker1)
	}
	n0, n1 := -1, -1
	for i, l := range lines {
		if bytes.Equal(l, marker0) {
			n0 = i
		}
		if bytes.Equal(l, marker1) {
			n1 = i
		}
	}
	switch {
	case n0 == -1 || n1 == -1:
		switch {
		case ins != nil:
			n0 = -1
			for i, l := range lines {
				if ins.Match(l) {
					n0 = i
				}
			}
			if n0 == -1 {
				n0 = len(lines)
			} else if a.InsertAfter != nil {
				n0++
			}
		case a.InsertBefore != nil:
			n0 = 0 // BOF
		default:
			n0 = len(lines) // EOF
		}
	case n0 < n1:
		lines = append(lines[:n0:n0], lines[n1+1:]...)
	default:
		lines = append(lines[:n1:n1], lines[n0+1:]...)
		n0 = n1
	}
	if n0 > 0 && !bytes.HasSuffix(lines[n0-1], []byte("\n")) {
		lines[n0-1] = append(append([]byte{}, lines[n0-1]...), '\n')
	}
	out := make([][]byte, 0, len(lines)+len(block))
	out = append(append(append(out, lines[:n0]...), block...), lines[n0:]...)
	data := bytes.Join(out, nil)
	if env.Diff {
		diff["after"] = string(data)
	}
	changed, msg := true, ""
	switch {
	case f.exists && bytes.Equal(f.data, data):
		changed = false
	case !f.exists:
		msg = "File created"
	case len(block) == 0:
		msg = "Block removed"
	default:
		msg = "Block inserted"
	}
	if env.Check && !f.exists {
		return Result{"changed": changed, "msg": msg, "diff": diff}, nil
	}
	c, fail, err := f.commit(ctx, env, changed, msg, data, o)
	if fail != nil || err != nil {
		return fail, err
	}
	r := Result{"changed": c.changed, "msg": c.msg, "diff": []any{diff, c.attrDiff}}
	if c.backup != "" {
		r["backup_file"] = c.backup
	}
	return r, nil
}

// splitPyLines is Python's bytes.splitlines(keepends=True): lines end at
// "\n", "\r" or "\r\n".
func splitPyLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			out = append(out, b)
			break
		}
		j := i + 1
		if b[i] == '\r' && j < len(b) && b[j] == '\n' {
			j++
		}
		out = append(out, b[:j])
		b = b[j:]
	}
	return out
}
