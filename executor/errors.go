package executor

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
)

// taskErrorMsg words a templating error the way Ansible's task result
// does, with the position details of the task.
func taskErrorMsg(pos playbook.Pos, err error) string {
	var ue *template.UndefinedError
	var ce *template.CondError
	switch {
	case errors.As(err, &ce):
		return ce.Error() + "\n\n" + positionDetails(pos)
	case errors.As(err, &ue):
		return fmt.Sprintf("The task includes an option with an undefined variable. The error was: %s. %s\n\n%s",
			ue.Error(), ue.Error(), positionDetails(pos))
	}
	return err.Error()
}

var kvLine = regexp.MustCompile(`\w+(\s+)?=(\s+)?[\w/-]+`)

// positionDetails is AnsibleError's "The error appears to be in ..." block
// with the offending lines of the file.
func positionDetails(pos playbook.Pos) string {
	if pos.File == "" || pos.Line == 0 {
		return ""
	}
	head := func(line, col int) string {
		return fmt.Sprintf("The error appears to be in '%s': line %d, column %d, but may\nbe elsewhere in the file depending on the exact syntax problem.\n", pos.File, line, col)
	}
	data, err := os.ReadFile(pos.File)
	if err != nil {
		return head(pos.Line, pos.Col) + "\n(could not open file to display line)"
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	idx := pos.Line - 1
	if idx >= len(lines) {
		idx = len(lines) - 1
	}
	if idx < 0 {
		return head(pos.Line, pos.Col)
	}
	for idx > 0 && strings.TrimSpace(lines[idx]) == "" {
		idx--
	}
	target := strings.TrimRight(lines[idx], "\r\n")
	prev := ""
	if idx > 0 {
		prev = lines[idx-1]
	}
	if kvLine.MatchString(prev) {
		p := strings.TrimRight(prev, " \t\r\n")
		at := strings.Index(p, "=")
		return head(pos.Line-1, at+1) + "\nThe offending line appears to be:\n\n" + p + "\n" +
			strings.Repeat(" ", at) + "^ here\n\nThere appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n"
	}
	col := pos.Col
	if col < 1 {
		col = 1
	}
	return head(pos.Line, pos.Col) + "\nThe offending line appears to be:\n\n" +
		strings.TrimRight(prev, " \t\r\n") + "\n" + strings.TrimRight(target, " \t") + "\n" + strings.Repeat(" ", col-1) + "^ here\n" +
		commonHint(target)
}

// commonHint is the remediation text Ansible appends for a few common
// mistakes seen on the offending line.
func commonHint(target string) string {
	hint := ""
	if strings.Contains(target, "\t") {
		hint += tabHint
	}
	stripped := strings.ReplaceAll(target, " ", "")
	switch {
	case strings.Contains(target, "{{") && strings.Contains(target, "}}") &&
		(!strings.Contains(target, `"{{`) || !strings.Contains(target, "'{{")):
		hint += unquotedVarHint
	case strings.Contains(stripped, ":{{") && strings.Contains(stripped, "}}"):
		hint += dictHint
	}
	return hint
}

const tabHint = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`

const unquotedVarHint = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`

const dictHint = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`

// taskFailure is the result of a task whose arguments failed to template. A Python
// exception Ansible does not wrap (template.PyException) fails the task with the
// exception and no msg; a ValueError is worded by Ansible's argument validation.
func taskFailure(pos playbook.Pos, args any, err error) map[string]any {
	var px *template.PyException
	if !errors.As(err, &px) {
		return failedResult(taskErrorMsg(pos, err))
	}
	if px.IsValueError() {
		return failedResult(fmt.Sprintf("the field 'args' has an invalid value (%s), and could not be converted to an dict.The error was: %s\n\n%s",
			pyfmt.Repr(args), px.Msg, positionDetails(pos)))
	}
	return map[string]any{"failed": true, "changed": false, "exception": exceptionText(px)}
}

// loopFailure is the result of a task whose loop failed to template: a Python exception
// is Ansible's "Unexpected failure during module execution".
func loopFailure(pos playbook.Pos, err error) map[string]any {
	var px *template.PyException
	if !errors.As(err, &px) {
		return failedResult(taskErrorMsg(pos, err))
	}
	return map[string]any{"failed": true, "msg": "Unexpected failure during module execution: " + px.Msg,
		"exception": exceptionText(px), "stdout": ""}
}

// exceptionText stands for the Python traceback Ansible puts in a result's exception:
// its last line, which callbacks show, names the exception as Python does.
func exceptionText(px *template.PyException) string {
	return "Traceback (most recent call last):\n  (raised while templating; gossible has no Python traceback)\n" + px.Type + ": " + px.Msg + "\n"
}
