package main

import (
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/gossible/gossible/config"
	"github.com/gossible/gossible/executor"
	defaultcb "github.com/gossible/gossible/output/default"
	"github.com/gossible/gossible/output/display"
	jsoncb "github.com/gossible/gossible/output/json"
)

// newDisplay sets colours and width as Ansible: colour on a TTY unless
// NO_COLOR/ANSIBLE_NOCOLOR, or when forced; width from the terminal.
func newDisplay(cfg *config.Config, io stdio) *display.Display {
	tty := false
	cols := 79
	if f, ok := io.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		tty = true
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w-1 > cols {
			cols = w - 1
		}
	}
	color := (tty && !cfg.NoColor) || cfg.ForceColor
	d := display.New(io.out, io.err, color)
	d.Columns = cols
	return d
}

func newCallback(cfg *config.Config, d *display.Display, verbosity int, io stdio) (executor.Callback, error) {
	switch cfg.StdoutCallback {
	case "", "default", "ansible.builtin.default":
		return defaultcb.New(d, verbosity), nil
	case "json", "ansible.posix.json":
		return jsoncb.New(io.out, d), nil
	}
	return nil, &exitError{code: exitGeneric, msg: fmt.Sprintf("ERROR! Invalid callback for stdout specified: %s", cfg.StdoutCallback)}
}
