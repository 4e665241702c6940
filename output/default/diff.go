package defaultcb

import (
	"fmt"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/output/display"
)

// printDiffs shows the "diff" of a changed result (of each changed item for
// a loop), as v2_on_file_diff does, before the status line.
func (c *Callback) printDiffs(res map[string]any, loop bool) {
	if loop {
		items, _ := res["results"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m != nil && m["diff"] != nil && changed(m) {
				if d := c.formatDiff(m["diff"]); d != "" {
					c.d.Print(d, "", false)
				}
			}
		}
		return
	}
	if res["diff"] != nil && changed(res) {
		if d := c.formatDiff(res["diff"]); d != "" {
			c.d.Print(d, "", false)
		}
	}
}

// formatDiff is the callback's _get_diff: a unified diff of before/after
// (3 lines of context), or the module's "prepared" text.
func (c *Callback) formatDiff(v any) string {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	var b strings.Builder
	for _, e := range list {
		d, ok := e.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range []struct{ key, msg string }{
			{"dst_binary", "diff skipped: destination file appears to be binary\n"},
			{"src_binary", "diff skipped: source file appears to be binary\n"},
		} {
			if _, ok := d[k.key]; ok {
				b.WriteString(k.msg)
			}
		}
		if n, ok := d["dst_larger"]; ok {
			fmt.Fprintf(&b, "diff skipped: destination file size is greater than %v\n", n)
		}
		if n, ok := d["src_larger"]; ok {
			fmt.Fprintf(&b, "diff skipped: source file size is greater than %v\n", n)
		}
		before, hasBefore := d["before"]
		after, hasAfter := d["after"]
		if hasBefore && hasAfter {
			bh, ah := "before", "after"
			if h, ok := d["before_header"]; ok {
				bh = "before: " + fmt.Sprint(h)
			}
			if h, ok := d["after_header"]; ok {
				ah = "after: " + fmt.Sprint(h)
			}
			lines := unifiedDiff(diffLines(diffText(before)), diffLines(diffText(after)), bh, ah, 3)
			for _, l := range lines {
				switch {
				case strings.HasPrefix(l, "+"):
					l = c.colorLine(l, display.Green)
				case strings.HasPrefix(l, "-"):
					l = c.colorLine(l, display.Red)
				case strings.HasPrefix(l, "@@"):
					l = c.colorLine(l, display.Cyan)
				}
				b.WriteString(l)
			}
			if len(lines) > 0 {
				b.WriteString("\n")
			}
		}
		if p, ok := d["prepared"]; ok {
			b.WriteString(fmt.Sprint(p))
		}
	}
	return b.String()
}

// colorLine colours a line that ends in a newline without colouring the
// newline, as stringc on a line with its "\n" does (an empty last part).
func (c *Callback) colorLine(l, color string) string {
	return c.d.Colorize(l, color)
}

func diffText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case map[string]any:
		return pyfmt.JSON(t, 4) + "\n"
	}
	return fmt.Sprint(v)
}

// diffLines is str.splitlines(True) plus Ansible's "No newline" marker.
func diffLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s+"\n\\ No newline at end of file\n")
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// unifiedDiff is Python's difflib.unified_diff with empty file dates.
func unifiedDiff(a, b []string, from, to string, n int) []string {
	groups := groupedOpcodes(matchingOpcodes(a, b), len(a), len(b), n)
	if len(groups) == 0 {
		return nil
	}
	out := []string{"--- " + from + "\n", "+++ " + to + "\n"}
	for _, g := range groups {
		first, last := g[0], g[len(g)-1]
		out = append(out, fmt.Sprintf("@@ -%s +%s @@\n", unifiedRange(first.i1, last.i2), unifiedRange(first.j1, last.j2)))
		for _, op := range g {
			if op.tag == 'e' {
				for _, l := range a[op.i1:op.i2] {
					out = append(out, " "+l)
				}
				continue
			}
			if op.tag == 'r' || op.tag == 'd' {
				for _, l := range a[op.i1:op.i2] {
					out = append(out, "-"+l)
				}
			}
			if op.tag == 'r' || op.tag == 'i' {
				for _, l := range b[op.j1:op.j2] {
					out = append(out, "+"+l)
				}
			}
		}
	}
	return out
}

func unifiedRange(start, stop int) string {
	begin := start + 1
	length := stop - start
	if length == 1 {
		return fmt.Sprint(begin)
	}
	if length == 0 {
		begin--
	}
	return fmt.Sprintf("%d,%d", begin, length)
}

type opcode struct {
	tag            byte // 'e'qual, 'r'eplace, 'd'elete, 'i'nsert
	i1, i2, j1, j2 int
}

// matchingOpcodes follows difflib.SequenceMatcher (no junk): recursive
// longest matching blocks, then opcodes between them.
func matchingOpcodes(a, b []string) []opcode {
	b2j := map[string][]int{}
	for j, l := range b {
		b2j[l] = append(b2j[l], j)
	}
	type block struct{ i, j, n int }
	var blocks []block
	var rec func(alo, ahi, blo, bhi int)
	rec = func(alo, ahi, blo, bhi int) {
		besti, bestj, bestn := alo, blo, 0
		j2len := map[int]int{}
		for i := alo; i < ahi; i++ {
			next := map[int]int{}
			for _, j := range b2j[a[i]] {
				if j < blo {
					continue
				}
				if j >= bhi {
					break
				}
				k := j2len[j-1] + 1
				next[j] = k
				if k > bestn {
					besti, bestj, bestn = i-k+1, j-k+1, k
				}
			}
			j2len = next
		}
		if bestn == 0 {
			return
		}
		if alo < besti && blo < bestj {
			rec(alo, besti, blo, bestj)
		}
		blocks = append(blocks, block{besti, bestj, bestn})
		if besti+bestn < ahi && bestj+bestn < bhi {
			rec(besti+bestn, ahi, bestj+bestn, bhi)
		}
	}
	rec(0, len(a), 0, len(b))
	// Merge adjacent blocks, as get_matching_blocks does.
	var merged []block
	for _, bl := range blocks {
		if len(merged) > 0 {
			p := &merged[len(merged)-1]
			if p.i+p.n == bl.i && p.j+p.n == bl.j {
				p.n += bl.n
				continue
			}
		}
		merged = append(merged, bl)
	}
	merged = append(merged, block{len(a), len(b), 0})
	var ops []opcode
	i, j := 0, 0
	for _, bl := range merged {
		var tag byte
		switch {
		case i < bl.i && j < bl.j:
			tag = 'r'
		case i < bl.i:
			tag = 'd'
		case j < bl.j:
			tag = 'i'
		}
		if tag != 0 {
			ops = append(ops, opcode{tag, i, bl.i, j, bl.j})
		}
		i, j = bl.i+bl.n, bl.j+bl.n
		if bl.n > 0 {
			ops = append(ops, opcode{'e', bl.i, i, bl.j, j})
		}
	}
	return ops
}

// groupedOpcodes is SequenceMatcher.get_grouped_opcodes.
func groupedOpcodes(codes []opcode, la, lb, n int) [][]opcode {
	if len(codes) == 0 {
		codes = []opcode{{'e', 0, 1, 0, 1}}
	}
	if codes[0].tag == 'e' {
		c := &codes[0]
		c.i1, c.j1 = max(c.i1, c.i2-n), max(c.j1, c.j2-n)
	}
	if codes[len(codes)-1].tag == 'e' {
		c := &codes[len(codes)-1]
		c.i2, c.j2 = min(c.i2, c.i1+n), min(c.j2, c.j1+n)
	}
	nn := n + n
	var groups [][]opcode
	var group []opcode
	for _, c := range codes {
		if c.tag == 'e' && c.i2-c.i1 > nn {
			group = append(group, opcode{'e', c.i1, min(c.i2, c.i1+n), c.j1, min(c.j2, c.j1+n)})
			groups = append(groups, group)
			group = nil
			c.i1, c.j1 = max(c.i1, c.i2-n), max(c.j1, c.j2-n)
		}
		group = append(group, c)
	}
	if len(group) > 0 && !(len(group) == 1 && group[0].tag == 'e') {
		groups = append(groups, group)
	}
	return groups
}
