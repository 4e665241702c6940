package template

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// UndefinedError is an undefined variable or a missing attribute/item, worded as Ansible
// words it.
type UndefinedError struct {
	Name   string // full path as written: "foo", "item.src"
	Object string // for a missing attribute: the object's kind, e.g. "dict object"
	Attr   string // for a missing attribute: its name
	Index  *int   // for a missing list element: its index
	Hint   string // Jinja2's own text for an undefined result ("No first item, sequence was empty.")
}

func (e *UndefinedError) Error() string {
	switch {
	case e.Hint != "":
		return e.Hint
	case e.Index != nil:
		return fmt.Sprintf("%s has no element %d", e.Object, *e.Index)
	case e.Attr != "":
		return fmt.Sprintf("'%s' has no attribute '%s'", e.Object, e.Attr)
	default:
		return fmt.Sprintf("'%s' is undefined", e.Name)
	}
}

// TemplateError is a template that cannot be compiled or run: a syntax error, an unknown
// filter or test, a failing filter. Its text follows Ansible's ("template error while
// templating string: ... String: <template>").
type TemplateError struct {
	Source string // the template text
	Msg    string
	Err    error // the underlying cause, if any
	// where a template file's error is, when known: Ansible names neither, gossible adds
	// them to the message
	File string
	Line int    // 1-based line in File; 0: unknown
	Text string // the text of that line; "": Source's line Line
}

// Error ends with the cause's message again, as Ansible's exception shows its
// original exception after its own message.
func (e *TemplateError) Error() string {
	return fmt.Sprintf("template error while templating string: %s%s. String: %s. %s", e.Msg, e.where(), e.Source, e.Msg)
}

// where is " (in FILE, line N: TEXT)" for an error in a template file, else "".
func (e *TemplateError) where() string {
	if e.File == "" {
		return ""
	}
	if e.Line <= 0 {
		return fmt.Sprintf(" (in %s)", e.File)
	}
	text := e.Text
	if text == "" {
		text = e.lineText()
	}
	return fmt.Sprintf(" (in %s, line %d: %s)", e.File, e.Line, strings.TrimSpace(text))
}

// lineText is Source's line Line.
func (e *TemplateError) lineText() string {
	if lines := strings.Split(e.Source, "\n"); e.Line > 0 && e.Line <= len(lines) {
		return strings.TrimRight(lines[e.Line-1], "\r")
	}
	return ""
}

func (e *TemplateError) Unwrap() error { return e.Err }

// gonja reports a missing attribute of a plain map only as text; this recovers it.
var reMissingAttr = regexp.MustCompile(`Unable to evaluate (\S+): (?:attribute|item) '?([^' ]+)'? not found`)

var reEvalPrefix = regexp.MustCompile(`^(?i)unable to evaluate (\S+)$`)

// translate turns an error coming out of gonja into this package's error types. It walks
// the whole chain, including errors carried inside gonja *exec.Value wrappers.
func translate(err error, src string, recorded []error) error {
	if err == nil {
		return nil
	}
	var lastPath string
	for e := err; e != nil; {
		switch t := e.(type) {
		case *UndefinedError:
			if t.Name == "" && lastPath != "" {
				c := *t
				c.Name = lastPath
				return &c
			}
			return t
		case *RecursionError, *TemplateError, *VaultError:
			return t
		case *filterError:
			var le *LookupError
			if errors.As(t, &le) {
				return le
			}
			var pe *plainError
			if errors.As(t, &pe) {
				return pe
			}
			var ce *causedError
			if errors.As(t, &ce) {
				return ce
			}
			var px *PyException
			if errors.As(t, &px) {
				return px
			}
			var te *typeError
			if errors.As(t, &te) {
				return &typeFrameError{source: src, msg: te.msg, err: t}
			}
			return &TemplateError{Source: src, Msg: t.Error(), Err: t}
		case *exec.Value:
			inner, ok := t.Interface().(error)
			if !ok {
				e = nil
				continue
			}
			e = inner
			continue
		}
		next := errors.Unwrap(e)
		if next != nil {
			msg := strings.TrimSuffix(e.Error(), ": "+next.Error())
			if m := reEvalPrefix.FindStringSubmatch(msg); m != nil {
				lastPath = m[1]
			}
		} else if m := reMissingAttr.FindStringSubmatch(e.Error()); m != nil {
			// the object's type is unknown here; run.fail fills it in
			return &UndefinedError{Name: m[1], Attr: m[2]}
		}
		e = next
	}
	// gonja flattened the error to text: find the typed error again by its message
	msg := err.Error()
	for _, r := range recorded {
		if strings.Contains(msg, r.Error()) {
			return translate(r, src, nil)
		}
	}
	if u := undefinedFromText(msg); u != nil {
		return u
	}
	return &TemplateError{Source: src, Msg: innermost(err), Err: err}
}

var (
	reUndefinedName = regexp.MustCompile(`'([^']+)' is undefined`)
	reUndefinedAttr = regexp.MustCompile(`'(\w+ object)' has no attribute '([^']*)'`)
	reUndefinedElem = regexp.MustCompile(`(\w+ object) has no element (-?\d+)`)
)

// undefinedFromText recovers an UndefinedError that gonja turned into text.
func undefinedFromText(msg string) *UndefinedError {
	if m := reUndefinedName.FindStringSubmatch(msg); m != nil {
		return &UndefinedError{Name: m[1]}
	}
	if m := reUndefinedAttr.FindStringSubmatch(msg); m != nil {
		return &UndefinedError{Name: evaluatedName(msg, m[0]), Object: m[1], Attr: m[2]}
	}
	if m := reUndefinedElem.FindStringSubmatch(msg); m != nil {
		i, _ := strconv.Atoi(m[2])
		return &UndefinedError{Name: evaluatedName(msg, m[0]), Object: m[1], Index: &i}
	}
	return nil
}

// evaluatedName finds the expression gonja named just before cause ("Unable to evaluate
// d.zz: 'dict object' has no attribute 'zz'") in a flattened message, or "".
func evaluatedName(msg, cause string) string {
	i := strings.Index(msg, cause)
	if i < 0 {
		return ""
	}
	before := strings.TrimSuffix(msg[:i], ": ")
	j := strings.LastIndex(strings.ToLower(before), "unable to evaluate ")
	if j < 0 {
		return ""
	}
	name := before[j+len("unable to evaluate "):]
	if name == "" || strings.ContainsAny(name, " :") {
		return ""
	}
	return name
}

// innermost returns the deepest message of a gonja error chain, which names the real cause.
func innermost(err error) string {
	last := err
	for e := err; e != nil; {
		last = e
		if v, ok := e.(*exec.Value); ok {
			inner, _ := v.Interface().(error)
			e = inner
			continue
		}
		e = errors.Unwrap(e)
	}
	return last.Error()
}

// filterError is an error raised by an Ansible filter or test implemented here.
type filterError struct {
	kind, name string // "filter" or "test"
	err        error
}

func (e *filterError) Error() string { return fmt.Sprintf("%s '%s' failed: %v", e.kind, e.name, e.err) }
func (e *filterError) Unwrap() error { return e.err }
