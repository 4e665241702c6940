package agent

import (
	"errors"
	"fmt"
	"net"
	"net/rpc"
	"strings"
	"sync"
	"time"
)

// pool keeps one net/rpc client per server address; net/rpc multiplexes
// concurrent calls (including long blocking queries) over it.
type pool struct {
	mu      sync.Mutex
	clients map[string]*rpc.Client
	timeout time.Duration
	closed  bool
}

func newPool(timeout time.Duration) *pool {
	return &pool{clients: map[string]*rpc.Client{}, timeout: timeout}
}

func (p *pool) get(addr string) (*rpc.Client, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("agent is shutting down")
	}
	if c := p.clients[addr]; c != nil {
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	// Dial without the lock: a dead host must not stall calls to others.
	conn, err := net.DialTimeout("tcp", addr, p.timeout)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Write([]byte{rpcConsul}); err != nil {
		conn.Close()
		return nil, err
	}
	c := rpc.NewClient(conn)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return nil, errors.New("agent is shutting down")
	}
	if old := p.clients[addr]; old != nil {
		c.Close()
		return old, nil
	}
	p.clients[addr] = c
	return c, nil
}

func (p *pool) drop(addr string, c *rpc.Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clients[addr] == c {
		delete(p.clients, addr)
	}
	c.Close()
}

// call runs one RPC on addr. Errors returned by the remote handler come
// back as rpc.ServerError; anything else means the connection failed
// (reported as a *connError, so callers may try another server).
func (p *pool) call(addr, method string, args, reply any) error {
	c, err := p.get(addr)
	if err != nil {
		return &connError{addr: addr, err: err}
	}
	// From here the request may have reached the server.
	err = c.Call(method, args, reply)
	if err == nil {
		return nil
	}
	var se rpc.ServerError
	if errors.As(err, &se) {
		return err
	}
	p.drop(addr, c)
	// ErrShutdown: the connection was already dead (the server closed it
	// while idle), so net/rpc refused to send.
	return &connError{addr: addr, err: err, sent: !errors.Is(err, rpc.ErrShutdown)}
}

func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for a, c := range p.clients {
		c.Close()
		delete(p.clients, a)
	}
}

// connError is a failure to reach a server (as opposed to its answer).
// sent means the request may have been delivered, so a write must not be
// sent again (it might apply twice).
type connError struct {
	addr string
	err  error
	sent bool
}

// retryable says whether a failed call may be sent to another server:
// always when it never left, and for reads (not "*.Apply" writes)
// otherwise.
func retryable(err error, method string) bool {
	var ce *connError
	if !errors.As(err, &ce) {
		return false
	}
	return !ce.sent || !strings.HasSuffix(method, ".Apply")
}

func (e *connError) Error() string { return fmt.Sprintf("rpc error contacting %s: %v", e.addr, e.err) }
func (e *connError) Unwrap() error { return e.err }
