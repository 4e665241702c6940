// Package run drives one started command for a transport.Conn: it collects
// stdout and stderr, streams stdin, answers the become password prompt, strips
// the become marker and prompt from the output, and turns a failed
// escalation into a *transport.BecomeError. ssh and local share it so both
// behave the same.
package run

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/gossible/gossible/transport"
)

// PromptTimeout bounds the wait for a become prompt and, once answered, for
// the escalation to succeed, so a wrong or unexpected prompt never hangs.
var PromptTimeout = 20 * time.Second

// KillGrace is how long a cancelled command's output may take to end after
// the kill before Run returns without it.
var KillGrace = 2 * time.Second

// Proc is a started command.
type Proc struct {
	Stdin  io.WriteCloser
	Stdout io.Reader
	// Stderr is nil when the command runs on a terminal (merged into Stdout).
	Stderr io.Reader
	// Wait waits for the exit once both streams ended. note, when not empty,
	// explains an abnormal end (a signal) and is appended to stderr.
	Wait func() (rc int, note string, err error)
	// Kill stops the command; the streams must then end soon.
	Kill func()
}

type event int

const (
	evPrompt event = iota
	evSuccess
)

// Run drives p until it ends. in is streamed to the command's stdin, then
// stdin is closed; with a password escalation, in is sent only after the
// escalation succeeded so no input is ever read as a password.
func Run(ctx context.Context, p Proc, in io.Reader, esc *transport.Escalation) (transport.Result, error) {
	var killOnce sync.Once
	killed := make(chan struct{})
	kill := func() { killOnce.Do(func() { close(killed); p.Kill() }) }
	stop := context.AfterFunc(ctx, kill)
	defer stop()

	events := make(chan event, 16)
	out := &watcher{events: events}
	errw := &watcher{events: events}
	if esc != nil {
		out.marker = esc.Success
		if esc.PTY {
			out.ptyPrompt = esc.PromptRE
		} else if esc.Prompt != "" {
			errw.prompt = esc.Prompt
		}
	}
	var wg sync.WaitGroup
	streamsDone := make(chan struct{})
	wg.Add(1)
	go func() { defer wg.Done(); out.consume(p.Stdout) }()
	if p.Stderr != nil {
		wg.Add(1)
		go func() { defer wg.Done(); errw.consume(p.Stderr) }()
	}
	go func() { wg.Wait(); close(streamsDone) }()

	sendStdin := func() {
		go func() {
			if in != nil {
				_, _ = io.Copy(p.Stdin, in)
			}
			_ = p.Stdin.Close()
		}()
	}

	var becomeErr error
	interactive := esc != nil && (esc.Prompt != "" || esc.PTY)
	if !interactive {
		sendStdin()
	} else {
		becomeErr = converse(ctx, p, esc, events, streamsDone, kill, sendStdin)
	}

	select {
	case <-streamsDone:
	case <-killed:
		// Cancelled, or escalation failed. A command the kill did not
		// reach (sudo runs as root) keeps the streams open until it
		// ends: abandon it after a grace.
		select {
		case <-streamsDone:
		case <-time.After(KillGrace):
			go func() { <-streamsDone; _, _, _ = p.Wait() }()
			err := becomeErr
			if ctx.Err() != nil {
				err = fmt.Errorf("command interrupted: %w", ctx.Err())
			}
			return transport.Result{RC: -1}, fmt.Errorf("%w (the command may still be running on the host)", err)
		}
	}
	rc, note, werr := p.Wait()
	res := transport.Result{Stdout: out.buf.Bytes(), Stderr: errw.buf.Bytes(), RC: rc}
	if esc != nil && esc.Prompt != "" {
		res.Stderr = stripPrompt(res.Stderr, esc.Prompt)
	}
	if esc != nil && esc.PTY {
		// The terminal turned every \n into \r\n.
		res.Stdout = bytes.ReplaceAll(res.Stdout, []byte("\r\n"), []byte("\n"))
	}
	if note != "" {
		res.Stderr = append(res.Stderr, note+"\n"...)
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("command interrupted: %w", err)
	}
	if becomeErr != nil {
		return res, becomeErr
	}
	if werr != nil {
		return res, werr
	}
	if esc != nil && !out.markerSeen {
		return res, classify(esc, res)
	}
	return res, nil
}

// converse answers the password prompt once and waits for the success
// marker; a second prompt means the password was wrong.
func converse(ctx context.Context, p Proc, esc *transport.Escalation, events <-chan event, done <-chan struct{}, kill func(), sendStdin func()) error {
	timer := time.NewTimer(PromptTimeout)
	defer timer.Stop()
	answered := false
	fail := func(msg string) error {
		kill()
		return &transport.BecomeError{Method: esc.Method, User: esc.User, Msg: msg}
	}
	for {
		select {
		case ev := <-events:
			switch ev {
			case evSuccess:
				if esc.PTY {
					_ = p.Stdin.Close()
				} else {
					sendStdin()
				}
				return nil
			case evPrompt:
				if answered {
					return fail("incorrect " + esc.Method + " password")
				}
				answered = true
				if _, err := io.WriteString(p.Stdin, esc.Password+"\n"); err != nil {
					return fail("cannot send the password: " + err.Error())
				}
				timer.Reset(PromptTimeout)
			}
		case <-done:
			// Ended without the marker; Run classifies from the output.
			_ = p.Stdin.Close()
			return nil
		case <-timer.C:
			what := "a password prompt"
			if answered {
				what = "escalation to succeed after sending the password"
			}
			return fail(fmt.Sprintf("timeout (%s) waiting for %s", PromptTimeout, what))
		case <-ctx.Done():
			return nil
		}
	}
}

// classify explains an escalation that ended before the command ran.
func classify(esc *transport.Escalation, res transport.Result) error {
	text := string(res.Stderr)
	if esc.PTY {
		text = string(res.Stdout)
	}
	msg := "the command did not start"
	switch {
	case strings.Contains(text, "a password is required"):
		msg = "missing " + esc.Method + " password"
	case strings.Contains(text, "incorrect password"), strings.Contains(text, "Sorry, try again"),
		strings.Contains(text, "Authentication failure"):
		msg = "incorrect " + esc.Method + " password"
	case strings.Contains(text, "must be run from a terminal"):
		msg = "missing " + esc.Method + " password"
	}
	return &transport.BecomeError{Method: esc.Method, User: esc.User, Msg: msg, Output: strings.TrimSpace(text)}
}

func stripPrompt(b []byte, prompt string) []byte {
	if !bytes.Contains(b, []byte(prompt)) {
		return b
	}
	b = bytes.ReplaceAll(b, []byte(prompt+"\n"), nil)
	return bytes.ReplaceAll(b, []byte(prompt), nil)
}

// watcher collects one stream, reporting become prompts and the success
// marker as they appear.
type watcher struct {
	events     chan<- event
	buf        bytes.Buffer
	marker     string // success line to find and strip; empty: none
	markerSeen bool
	prompt     string         // literal prompt to count
	ptyPrompt  *regexp.Regexp // prompt on a terminal, looked for before the marker
	scanned    int            // bytes of buf already searched for prompt
}

func (w *watcher) consume(r io.Reader) {
	chunk := make([]byte, 32*1024)
	for {
		n, err := r.Read(chunk)
		if n > 0 {
			w.buf.Write(chunk[:n])
			w.scan()
		}
		if err != nil {
			return
		}
	}
}

func (w *watcher) notify(ev event) {
	select {
	case w.events <- ev:
	default:
	}
}

func (w *watcher) scan() {
	if w.marker != "" && !w.markerSeen {
		b := w.buf.Bytes()
		if i := bytes.Index(b, []byte(w.marker+"\n")); i >= 0 {
			w.markerSeen = true
			rest := append([]byte(nil), b[i+len(w.marker)+1:]...)
			w.buf.Reset()
			w.buf.Write(rest)
			w.notify(evSuccess)
			return
		}
		if i := bytes.Index(b, []byte(w.marker+"\r\n")); i >= 0 {
			w.markerSeen = true
			rest := append([]byte(nil), b[i+len(w.marker)+2:]...)
			w.buf.Reset()
			w.buf.Write(rest)
			w.notify(evSuccess)
			return
		}
		if w.ptyPrompt != nil && w.ptyPrompt.Match(b) {
			// Drop the prompt so a second one is seen as new.
			w.buf.Reset()
			w.notify(evPrompt)
		}
		return
	}
	if w.prompt != "" {
		// Search only what is new, plus an overlap too short to hold a
		// whole prompt seen before.
		b := w.buf.Bytes()
		from := max(0, w.scanned-len(w.prompt)+1)
		for range bytes.Count(b[from:], []byte(w.prompt)) {
			w.notify(evPrompt)
		}
		w.scanned = len(b)
	}
}

// Prepare builds the shell line for cmd, wrapped for become when it asks
// for it; esc is nil without become. A become that reads its password from
// a terminal cannot also stream stdin, so that pairing is an error.
func Prepare(cmd transport.Cmd) (line string, esc *transport.Escalation, err error) {
	line, err = transport.CommandLine(cmd)
	if err != nil {
		return "", nil, err
	}
	if cmd.Become == nil {
		return line, nil, nil
	}
	e, err := transport.WrapBecome(line, cmd.Become)
	if err != nil {
		return "", nil, err
	}
	if e.PTY && cmd.Stdin != nil {
		return "", nil, fmt.Errorf("become method %s with a password reads it from a terminal, which cannot also stream stdin: use sudo", e.Method)
	}
	return e.Line, &e, nil
}
