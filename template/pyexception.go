package template

// PyException is a filter failing with a Python exception that is neither a TypeError nor
// one of Ansible's own errors: a ValueError, re.error, a YAML parser error. Ansible's
// Templar lets such an exception through as it is, so its text is only the exception's
// message; the task fails with "An exception occurred during task execution" and the
// exception in the result instead of a msg.
type PyException struct {
	Type string // the exception's qualified class name: "re.error", "ValueError"
	Msg  string
}

func (e *PyException) Error() string { return e.Msg }

// IsValueError reports whether the exception is a ValueError (or a subclass of it), which
// some of Ansible's callers catch and word themselves.
func (e *PyException) IsValueError() bool {
	switch e.Type {
	case "ValueError", "json.decoder.JSONDecodeError", "binascii.Error":
		return true
	}
	return false
}

func pyException(typ, msg string) error { return &PyException{Type: typ, Msg: msg} }
