// Package pty opens pseudo-terminals for commands that read a password from
// their terminal (su). Linux only; elsewhere Open returns an error.
package pty

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
)

// Start runs cmd with a new terminal as its stdin, stdout, stderr and
// controlling terminal, echo off, in a new session. It returns the master
// side: write to it to type, read from it to see the output (reads end with
// io.EOF once the command and its children closed the terminal).
func Start(cmd *exec.Cmd) (*os.File, error) {
	master, slave, err := open()
	if err != nil {
		return nil, err
	}
	defer slave.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		_ = master.Close()
		return nil, err
	}
	return master, nil
}

// Reader wraps the master side: Linux reports a closed terminal as EIO.
type Reader struct{ F *os.File }

func (r Reader) Read(p []byte) (int, error) {
	n, err := r.F.Read(p)
	if err != nil && errors.Is(err, syscall.EIO) {
		err = io.EOF
	}
	return n, err
}

// Writer wraps the master side; Close types ^D, the terminal's end of
// input, instead of closing the terminal (which would hang up the command).
type Writer struct{ F *os.File }

func (w Writer) Write(p []byte) (int, error) { return w.F.Write(p) }

func (w Writer) Close() error {
	_, err := w.F.Write([]byte{4})
	return err
}
