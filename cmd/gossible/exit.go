package main

import (
	"errors"
	"strings"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	"github.com/gossible/gossible/playbook"
)

// Exit codes, as ansible-playbook 2.14's.
const (
	exitOK          = 0
	exitGeneric     = 1
	exitFailedHosts = 2
	exitUsage       = 2
	exitUnreachable = 4
	exitParse       = 4
	exitBadOptions  = 5
	exitInterrupted = 99
	exitUnexpected  = 250
)

// exitError carries the exit code and the message printed once on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// fail turns an error into the exit code and "ERROR! ..." text Ansible
// would print for it.
func fail(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	var pe *playbook.Error
	if errors.As(err, &pe) {
		code := exitParse
		// Not parser errors in Ansible: a missing file or role.
		if strings.HasPrefix(pe.Msg, "the role '") || strings.HasPrefix(pe.Msg, "the playbook: ") ||
			strings.HasPrefix(pe.Msg, "Unable to retrieve file contents") {
			code = exitGeneric
		}
		return &exitError{code: code, msg: strings.TrimRight(pe.Error(), "\n")}
	}
	var ie *inventory.ParseError
	if errors.As(err, &ie) {
		code := exitGeneric
		if ie.Plugin == "vars" {
			// a group_vars/host_vars file, read when a play or
			// ansible-inventory needs a host's variables: Ansible's
			// parser error
			code = exitParse
		}
		return &exitError{code: code, msg: "ERROR! " + ie.Error()}
	}
	if errors.Is(err, executor.ErrInterrupted) {
		return &exitError{code: exitInterrupted, msg: " [ERROR]: User interrupted execution"}
	}
	return &exitError{code: exitGeneric, msg: "ERROR! " + err.Error()}
}

func optionsError(msg string) error {
	return &exitError{code: exitBadOptions, msg: "ERROR! " + msg}
}
