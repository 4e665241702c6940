//go:build !linux

package pty

import (
	"errors"
	"os"
)

func open() (master, slave *os.File, err error) {
	return nil, nil, errors.New("pseudo-terminals are only supported on linux")
}
