package playbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/vault"
)

// source is one YAML file being loaded: its absolute path and lines, kept
// so errors can quote the offending line.
type source struct {
	path  string
	lines []string
}

// secondDocLine finds the "---" that starts the document whose content
// begins at line (libyaml marks the separator).
func secondDocLine(lines []string, line int) int {
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "---") {
			return i + 1
		}
	}
	return line
}

// errAt builds an Error at n (nil n: no place).
func (s *source) errAt(n *yaml.Node, format string, args ...any) *Error {
	e := &Error{Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		s.place(e, n.Line, n.Column)
	}
	return e
}

func (s *source) place(e *Error, line, col int) {
	e.Pos = Pos{File: s.path, Line: line, Col: col}
	e.Line, e.Prev = contextLines(s.lines, line)
}

func (s *source) pos(n *yaml.Node) Pos {
	return Pos{File: s.path, Line: n.Line, Col: n.Column}
}

// readYAML reads and parses path. It returns (nil, nil) for a file with no
// document (empty or only comments). Syntax errors come back as *Error in
// Ansible's wording.
func readYAML(path string, secrets []vault.Secret) (*source, *yaml.Node, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve %s: %w", path, err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, nil, &Error{Msg: fmt.Sprintf("could not read %s: %v", abs, unwrapPathErr(err))}
	}
	if vault.IsEncrypted(data) {
		// Ansible's loader opens vaulted YAML files transparently; its
		// error names the file only when a password was given.
		pt, err := vault.DecryptFile(abs, data, secrets)
		if errors.Is(err, vault.ErrNoSecrets) {
			return nil, nil, &Error{Msg: vault.ErrNoSecrets.Error(), Hint: "give the vault password with --vault-password-file, --vault-id or --ask-vault-pass"}
		} else if err != nil {
			return nil, nil, &Error{Msg: err.Error()}
		}
		data = pt
	}
	src := &source{path: abs, lines: strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return src, nil, src.syntaxError(data, err)
	}
	// PyYAML refuses a second document; yaml.v3 would silently drop it.
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		e := &Error{Msg: "We were unable to read either as JSON nor YAML, these are the errors we got from each:\n" +
			"JSON: " + jsonProblem(data) + "\n\nSyntax Error while loading YAML.\n  but found another document"}
		src.place(e, secondDocLine(src.lines, next.Line), 1)
		return src, nil, e
	} else if !errors.Is(err, io.EOF) {
		return src, nil, src.syntaxError(data, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return src, nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return src, nil, nil
	}
	return src, root, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var yamlErrRe = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxError turns a yaml.v3 parse error into Ansible's "unable to read
// either as JSON nor YAML" error. yaml.v3 reports only a line (and often
// the line of the surrounding context, not of the problem), so the problem
// line is found as the shortest prefix of the file that fails the same
// way, and the column is estimated from the problem kind.
func (s *source) syntaxError(data []byte, yerr error) *Error {
	problem := yerr.Error()
	line := 0
	if m := yamlErrRe.FindStringSubmatch(problem); m != nil {
		problem = m[2]
		fmt.Sscan(m[1], &line)
	}
	col := 1
	if strings.Contains(problem, "end of stream") {
		// libyaml marks the end of the file; Ansible then shows the last
		// non-blank line.
		line = len(s.lines)
	} else {
		if l := s.problemLine(problem, line); l > 0 {
			line = l
		}
		if line > 0 && line <= len(s.lines) {
			col = problemColumn(s.lines[line-1], problem)
		}
	}
	e := &Error{Msg: "We were unable to read either as JSON nor YAML, these are the errors we got from each:\n" +
		"JSON: " + jsonProblem(data) + "\n\n" +
		"Syntax Error while loading YAML.\n  " + problem + "\n"}
	if line > 0 {
		s.place(e, line, col)
		e.Hint = syntaxHint(e.Line)
	}
	// Ansible's message ends in a newline before the position block.
	e.Msg = strings.TrimSuffix(e.Msg, "\n")
	return e
}

// syntaxHint names the usual causes Ansible also points out: tabs, and
// values that start with an unquoted template.
func syntaxHint(line string) string {
	switch {
	case strings.Contains(line, "\t"):
		return "the line holds a tab; YAML indents with spaces only"
	case unquotedTemplate.MatchString(line):
		return "a value that starts with {{ must be quoted, e.g. key: \"{{ var }}\""
	}
	return ""
}

var unquotedTemplate = regexp.MustCompile(`(^\s*|:\s+|-\s+)\{\{`)

// problemLine is the first line k such that lines[:k] fails to parse with
// the same problem; 0 when not found. The search starts a line before the
// one yaml.v3 reported (its context line, which never follows the problem)
// and gives up after a while to bound the cost on large files.
func (s *source) problemLine(problem string, reported int) int {
	start := max(1, reported-1)
	for k := start; k <= len(s.lines) && k < start+500; k++ {
		chunk := strings.Join(s.lines[:k], "\n") + "\n"
		var n yaml.Node
		err := yaml.Unmarshal([]byte(chunk), &n)
		if err == nil {
			continue
		}
		m := yamlErrRe.FindStringSubmatch(err.Error())
		if m != nil && m[2] == problem {
			return k
		}
	}
	return 0
}

// problemColumn estimates where libyaml puts its mark on the problem line.
func problemColumn(line, problem string) int {
	first := len(line) - len(strings.TrimLeft(line, " \t")) + 1
	if strings.HasPrefix(problem, "mapping values are not allowed") {
		// The mark is at the second ": " of the line (the first one opens
		// the mapping that may not hold another mapping value).
		seen := 0
		quote := byte(0)
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == ':' && (i+1 == len(line) || line[i+1] == ' '):
				seen++
				if seen == 2 {
					return i + 1
				}
			}
		}
	}
	if strings.HasPrefix(problem, "found character that cannot start any token") {
		if i := strings.IndexAny(line, "\t@`"); i >= 0 {
			return i + 1
		}
	}
	return first
}

// jsonProblem words why data is not JSON the way Python's json module does
// for the common case (a document that does not start like JSON).
func jsonProblem(data []byte) string {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	off := len(data) - len(trimmed)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"') {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return err.Error()
		}
		return "ok"
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("Expecting value: line %d column %d (char %d)", line, col, off)
}
