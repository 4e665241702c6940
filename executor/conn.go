package executor

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/local"
	"github.com/gossible/gossible/transport/ssh"
)

// connPool keeps one open connection per host and connection settings for
// the whole run, each with its remote scratch directory.
type connPool struct {
	dial  DialFunc
	mu    sync.Mutex
	conns map[string]*hostConn
	order []*hostConn
}

// hostConn is an open (or failed) connection.
type hostConn struct {
	once sync.Once
	conn transport.Conn
	tmp  string
	err  error
	host string
}

func newConnPool(dial DialFunc) *connPool {
	if dial == nil {
		dial = defaultDial
	}
	return &connPool{dial: dial, conns: map[string]*hostConn{}}
}

func defaultDial(ctx context.Context, kind string, cfg transport.Config) (transport.Conn, error) {
	switch kind {
	case "local":
		return local.New(), nil
	case "ssh", "smart", "paramiko", "":
		return ssh.Dial(ctx, cfg)
	}
	return nil, fmt.Errorf("the connection plugin '%s' was not found", kind)
}

// get returns the host's connection for these settings, opening it (and
// creating the scratch directory) on first use. Errors wrap
// transport.ErrUnreachable when the host could not be reached.
func (p *connPool) get(ctx context.Context, host, kind string, cfg transport.Config) (*hostConn, error) {
	key := strings.Join([]string{host, kind, cfg.Host, fmt.Sprint(cfg.Port), cfg.User}, "\x00")
	p.mu.Lock()
	hc, ok := p.conns[key]
	if !ok {
		hc = &hostConn{host: host}
		p.conns[key] = hc
		p.order = append(p.order, hc)
	}
	p.mu.Unlock()
	hc.once.Do(func() {
		// Keep conn nil on failure: a typed nil inside the interface
		// would look open to closeAll.
		c, err := p.dial(ctx, kind, cfg)
		if err != nil {
			hc.err = err
			return
		}
		hc.conn = c
		hc.tmp, hc.err = makeTmp(ctx, hc.conn)
	})
	return hc, hc.err
}

// makeTmp creates the run's scratch directory under ~/.ansible/tmp, as
// Ansible's remote_tmp, readable by the login user only.
func makeTmp(ctx context.Context, c transport.Conn) (string, error) {
	line := `umask 77 && mkdir -p "$HOME/.ansible/tmp" && mktemp -d "$HOME/.ansible/tmp/gossible-tmp-XXXXXXXXXX"`
	res, err := c.Exec(ctx, transport.Cmd{Line: line})
	if err != nil {
		return "", err
	}
	if res.RC != 0 {
		return "", fmt.Errorf("%w: creating the remote temporary directory failed (rc=%d): %s",
			transport.ErrUnreachable, res.RC, strings.TrimSpace(string(res.Stderr)))
	}
	return strings.TrimSpace(string(res.Stdout)), nil
}

// closeAll removes every scratch directory and closes the connections; it
// returns warnings for what could not be cleaned.
func (p *connPool) closeAll(ctx context.Context) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var warns []string
	for _, hc := range p.order {
		if hc.conn == nil {
			continue
		}
		if hc.tmp != "" {
			res, err := hc.conn.Exec(ctx, transport.Cmd{Line: "rm -rf -- " + shellquote.Quote(hc.tmp)})
			if err != nil || res.RC != 0 {
				warns = append(warns, fmt.Sprintf("could not remove the temporary directory %s on %s", hc.tmp, hc.host))
			}
		}
		_ = hc.conn.Close()
	}
	p.order = nil
	p.conns = map[string]*hostConn{}
	return warns
}

// reset closes the host's open connections and removes their scratch
// directories, so that its next task connects again (meta:
// reset_connection); it returns warnings for what could not be cleaned.
func (p *connPool) reset(ctx context.Context, host string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var warns []string
	keep := p.order[:0]
	for _, hc := range p.order {
		if hc.host != host {
			keep = append(keep, hc)
			continue
		}
		if hc.conn != nil {
			if hc.tmp != "" {
				res, err := hc.conn.Exec(ctx, transport.Cmd{Line: "rm -rf -- " + shellquote.Quote(hc.tmp)})
				if err != nil || res.RC != 0 {
					warns = append(warns, fmt.Sprintf("could not remove the temporary directory %s on %s", hc.tmp, hc.host))
				}
			}
			_ = hc.conn.Close()
		}
	}
	p.order = keep
	for k, hc := range p.conns {
		if hc.host == host {
			delete(p.conns, k)
		}
	}
	return warns
}

// envConn adds a task's environment to every command a module runs.
type envConn struct {
	transport.Conn
	env map[string]string
}

func (c envConn) Exec(ctx context.Context, cmd transport.Cmd) (transport.Result, error) {
	if len(c.env) > 0 {
		merged := make(map[string]string, len(c.env)+len(cmd.Env))
		for k, v := range c.env {
			merged[k] = v
		}
		for k, v := range cmd.Env {
			merged[k] = v
		}
		cmd.Env = merged
	}
	return c.Conn.Exec(ctx, cmd)
}

func (c envConn) Upload(ctx context.Context, r io.Reader, path string, mode fs.FileMode) error {
	return c.Conn.Upload(ctx, r, path, mode)
}

func (c envConn) Download(ctx context.Context, path string, w io.Writer) error {
	return c.Conn.Download(ctx, path, w)
}
