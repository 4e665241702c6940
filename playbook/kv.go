package playbook

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads Ansible's "k=v k2='v 2'" argument strings the way
// ansible-core 2.14 does (ansible.parsing.splitter): words split on spaces
// and newlines, except inside quotes or Jinja2 {{ }}, {% %}, {# #} blocks;
// spacing inside them is kept.

// errUnbalanced is returned by splitArgs for an unclosed quote or block.
var errUnbalanced = errors.New("failed at splitting arguments, either an unbalanced jinja2 block or quotes")

// splitArgs splits s into words. Each word keeps its quotes; runs of spaces
// and line ends between words stay attached to the word before, so
// joinArgs can put the text back together.
func splitArgs(s string) ([]string, error) {
	var params []string
	var quote byte
	inQuotes := false
	depth := [3]int{} // {{ }}, {% %}, {# #}
	lines := strings.Split(s, "\n")
	for li, line := range lines {
		words := strings.Split(line, " ")
		continued := false
		for wi, w := range words {
			if w == "" && wi != 0 {
				// a second space in a row belongs to the previous word
				if len(params) > 0 {
					params[len(params)-1] += " "
				}
				continue
			}
			if w == `\` && !inQuotes {
				continued = true
				continue
			}
			wasInQuotes := inQuotes
			quote = quoteState(w, quote)
			inQuotes = quote != 0
			inBlock := depth[0] > 0 || depth[1] > 0 || depth[2] > 0
			added := false
			switch {
			case inQuotes && !wasInQuotes && !inBlock:
				params = append(params, w)
				added = true
			case (inBlock || inQuotes || wasInQuotes) && len(params) > 0:
				last := len(params) - 1
				switch {
				case wi == 0 && wasInQuotes:
					params[last] += w
				case len(words) > 1:
					if wi > 0 {
						params[last] += " "
					}
					params[last] += w
				default:
					params[last] += "\n" + w
				}
				added = true
			}
			for i, d := range [3][2]string{{"{{", "}}"}, {"{%", "%}"}, {"{#", "#}"}} {
				before := depth[i]
				depth[i] = blockDepth(w, depth[i], d[0], d[1])
				if depth[i] != before && !added {
					params = append(params, w)
					added = true
				}
			}
			inBlock = depth[0] > 0 || depth[1] > 0 || depth[2] > 0
			if !inBlock && !inQuotes && !added && w != "" {
				params = append(params, w)
			}
		}
		if len(lines) > 1 && li != len(lines)-1 && !continued && len(params) > 0 {
			params[len(params)-1] += "\n"
		}
	}
	if depth[0] > 0 || depth[1] > 0 || depth[2] > 0 || inQuotes {
		return nil, errUnbalanced
	}
	return params, nil
}

// quoteState scans w and returns the quote character still open after it
// (0 when none), starting from the one open before it.
func quoteState(w string, quote byte) byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if (c == '"' || c == '\'') && (i == 0 || w[i-1] != '\\') {
			if quote == 0 {
				quote = c
			} else if c == quote {
				quote = 0
			}
		}
	}
	return quote
}

func blockDepth(w string, depth int, open, close string) int {
	o, c := strings.Count(w, open), strings.Count(w, close)
	if o != c {
		depth += o - c
		if depth < 0 {
			depth = 0
		}
	}
	return depth
}

// joinArgs puts words back together with one space, none after a line end.
func joinArgs(words []string) string {
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// parseKV reads an argument string into options. With freeForm, only the
// freeFormOptions keys are split out; every other word (k=v or not) stays in
// the free text, "_raw_params". Values lose one level of matching quotes.
func parseKV(s string, freeForm bool) (map[string]any, error) {
	words, err := splitArgs(s)
	if err != nil {
		return nil, err
	}
	opts := map[string]any{}
	var raw []string
	for _, orig := range words {
		w := decodeEscapes(orig)
		if !strings.Contains(w, "=") {
			raw = append(raw, orig)
			continue
		}
		pos := unescapedEquals(w)
		if pos < 0 {
			raw = append(raw, strings.ReplaceAll(w, `\=`, "="))
			continue
		}
		k, v := w[:pos], w[pos+1:]
		if freeForm && !freeFormOptions[k] {
			raw = append(raw, orig)
			continue
		}
		opts[strings.TrimSpace(k)] = unquote(strings.TrimSpace(v))
	}
	if len(raw) > 0 {
		opts["_raw_params"] = joinArgs(raw)
	}
	return opts, nil
}

// unescapedEquals is the index of the first '=' after the first byte that
// is not preceded by a backslash, or -1.
func unescapedEquals(w string) int {
	for i := 1; i < len(w); i++ {
		if w[i] == '=' && w[i-1] != '\\' {
			return i
		}
	}
	return -1
}

// unquote removes one pair of matching outer quotes.
func unquote(s string) string {
	if len(s) > 1 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') && s[len(s)-2] != '\\' {
		return s[1 : len(s)-1]
	}
	return s
}

// decodeEscapes decodes Python-style backslash escapes (\n, \t, \\, \",
// \xHH, \uHHHH, \UHHHHHHHH) as Ansible does on each k=v word. \N{name}
// escapes are left as written.
func decodeEscapes(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		c := s[i+1]
		if r, ok := simpleEscape(c); ok {
			b.WriteRune(r)
			i++
			continue
		}
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if n > 0 && i+2+n <= len(s) {
			if v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
				b.WriteRune(rune(v))
				i += 1 + n
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func simpleEscape(c byte) (rune, bool) {
	switch c {
	case '\\', '\'', '"':
		return rune(c), true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'v':
		return '\v', true
	}
	return 0, false
}
