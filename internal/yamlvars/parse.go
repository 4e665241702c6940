package yamlvars

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/vault"
)

// Doc is one parsed vars text.
type Doc struct {
	// Root is the document's top node; nil for an empty document.
	Root *yaml.Node
	// JSON is set when the text is a JSON document, whose scalars follow
	// JSON typing rather than YAML 1.1 (pass it on in Options.JSON).
	JSON bool
	// Data is the text that was parsed (decrypted when the file was a
	// vault envelope).
	Data []byte
}

// Parse decrypts a whole-file vault envelope with opts.Secrets, then reads
// data as a single YAML (or JSON) document. name is used in errors.
func Parse(data []byte, name string, opts Options) (*Doc, error) {
	if vault.IsEncrypted(data) {
		pt, err := vault.DecryptFile(name, data, opts.Secrets)
		if err != nil {
			var fe *vault.FileError
			msg := err.Error()
			if errors.As(err, &fe) {
				msg = fe.Err.Error()
			}
			return nil, &Error{File: name, Line: 1, Msg: msg, Err: err}
		}
		data = pt
	}
	doc := &Doc{Data: data, JSON: IsJSON(data)}
	root, err := parseYAML(data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = name
		}
		return nil, err
	}
	doc.Root = root
	return doc, nil
}

// IsJSON tells whether data is one JSON document: Ansible's loader tries
// json.loads first, so its numbers follow JSON, not YAML 1.1.
func IsJSON(data []byte) bool {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[') {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	_, err := dec.Token()
	return errors.Is(err, io.EOF)
}

// parseYAML parses a single-document text into its root node; nil for an
// empty document. A second document is an error, as in PyYAML.
func parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		e := syntaxErr(err)
		if n := errorLine(data); n > 0 {
			e.Line = n
		}
		return nil, e
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{Line: extra.Line, Col: extra.Column, Syntax: true, Msg: "expected a single document in the stream, found another", Hint: "remove the extra --- document separator"}
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxErr(err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return nil, nil
}

// errorLine finds the line a syntax error is on. yaml.v3 reports the line
// where the enclosing block starts ("while parsing a block mapping"), so
// look for the last line whose prefix of the document still parses: the
// next line is the culprit.
func errorLine(data []byte) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 2000 {
		return 0
	}
	for k := len(lines) - 1; k >= 0; k-- {
		var n yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(bytes.Join(lines[:k], nil)))
		if err := dec.Decode(&n); err == nil || errors.Is(err, io.EOF) {
			return k + 1
		}
	}
	return 0
}

var reYAMLLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func syntaxErr(err error) *Error {
	msg := err.Error()
	if m := reYAMLLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{Line: n, Syntax: true, Msg: "yaml syntax error: " + m[2], Hint: "check indentation and quoting; values starting with { or [ or containing ': ' need quotes"}
	}
	return &Error{Syntax: true, Msg: "yaml syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
}
