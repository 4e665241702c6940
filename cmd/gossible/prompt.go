package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/gossible/gossible/playbook"
)

// promptFunc asks vars_prompt questions on the terminal; nil when stdin is
// not one, so that the executor uses the defaults (as ansible-playbook).
func promptFunc(io stdio) func(playbook.VarPrompt) (string, error) {
	f, ok := io.in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(vp playbook.VarPrompt) (string, error) {
		msg := vp.Prompt
		if vp.HasDefault {
			msg += " [" + vp.Default + "]"
		}
		for {
			v, err := askLine(io, msg+": ", vp.Private)
			if err != nil || !vp.Confirm {
				return v, err
			}
			again, err := askLine(io, "confirm "+msg+": ", vp.Private)
			if err != nil {
				return "", err
			}
			if again == v {
				return v, nil
			}
			fmt.Fprintln(io.err, "***** VALUES ENTERED DO NOT MATCH ****")
		}
	}
}

// askLine reads one answer, without echo when private.
func askLine(io stdio, prompt string, private bool) (string, error) {
	if private {
		return readPassword(io, prompt)
	}
	fmt.Fprint(io.err, prompt)
	return readAnswer(io.in), nil
}

// readAnswer reads one line a byte at a time, so that nothing past the answer
// is taken from stdin; a read error ends the line as end of input does.
func readAnswer(in io.Reader) string {
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := in.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		if err != nil {
			break
		}
	}
	return strings.TrimRight(string(line), "\r")
}
