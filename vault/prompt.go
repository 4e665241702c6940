package vault

import (
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// TerminalPrompt shows prompt on the controlling terminal and reads a
// password without echo, as getpass does. Without a terminal it fails with
// a hint instead of reading stdin, which may carry the data.
func TerminalPrompt(prompt string) ([]byte, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, errors.New("no terminal to prompt on (hint: use --vault-password-file or --vault-id label@file)")
	}
	defer tty.Close()
	return readPassword(tty, int(tty.Fd()), prompt)
}

// readPassword prompts on w and reads one line from fd without echo.
func readPassword(w io.Writer, fd int, prompt string) ([]byte, error) {
	fmt.Fprint(w, prompt)
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(w)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("EOFError (ctrl-d)")
		}
		return nil, fmt.Errorf("read password: %w", err)
	}
	return pw, nil
}
