package ssh

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"sync/atomic"
	"time"
)

// pidPrefix makes the remote shell report its pid on stderr first; the
// shell is the session's process group leader (sshd starts the login shell
// with setsid, and it execs /bin/sh), so the pid names the group to kill.
const pidPrefix = "echo $$ >&2; "

// pidReader takes the first line of stderr, the remote pid, out of the stream.
type pidReader struct {
	r    io.Reader
	pid  atomic.Int64
	done bool
	line []byte
	rest []byte
}

func (p *pidReader) Read(b []byte) (int, error) {
	for !p.done {
		var chunk [512]byte
		n, err := p.r.Read(chunk[:])
		p.line = append(p.line, chunk[:n]...)
		if i := bytes.IndexByte(p.line, '\n'); i >= 0 {
			p.done = true
			if pid, perr := strconv.ParseInt(string(p.line[:i]), 10, 64); perr == nil && pid > 1 {
				p.pid.Store(pid)
				p.rest = p.line[i+1:]
			} else {
				p.rest = p.line // not a pid: pass it through untouched
			}
		} else if err != nil {
			p.done = true
			p.rest = p.line
		}
		if err != nil && len(p.rest) == 0 {
			return 0, err
		}
	}
	if len(p.rest) > 0 {
		n := copy(b, p.rest)
		p.rest = p.rest[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// killRemote kills the process group of a cancelled command from a second
// session. The signal request alone is not enough: OpenSSH refuses it for
// sessions without privilege separation, e.g. every root login.
func (c *Client) killRemote(pid int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c.acquire(ctx) != nil {
		return
	}
	defer c.release()
	s, err := c.conn.NewSession()
	if err != nil {
		return
	}
	defer s.Close()
	p := strconv.FormatInt(pid, 10)
	_ = s.Run("kill -KILL -- -" + p + " 2>/dev/null || kill -KILL " + p + " 2>/dev/null")
}
