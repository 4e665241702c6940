package agent

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/hashicorp/raft"
)

// The server port carries two protocols; the first byte of a connection
// says which, as in Consul.
const (
	rpcConsul byte = 0
	rpcRaft   byte = 1
)

// muxListener accepts server-port connections and hands each to net/rpc
// or to raft's stream layer according to its first byte.
type muxListener struct {
	ln      net.Listener
	raft    *raftLayer
	rpc     func(net.Conn)
	wg      sync.WaitGroup
	closeMu sync.Mutex
	conns   map[net.Conn]struct{}
	closed  bool
}

func (m *muxListener) serve() {
	m.wg.Add(1)
	defer m.wg.Done()
	for {
		c, err := m.ln.Accept()
		if err != nil {
			return
		}
		go m.handle(c)
	}
}

func (m *muxListener) track(c net.Conn, add bool) bool {
	m.closeMu.Lock()
	defer m.closeMu.Unlock()
	if add {
		if m.closed {
			return false
		}
		m.conns[c] = struct{}{}
	} else {
		delete(m.conns, c)
	}
	return true
}

func (m *muxListener) handle(c net.Conn) {
	var b [1]byte
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(b[:]); err != nil {
		c.Close()
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	switch b[0] {
	case rpcConsul:
		if !m.track(c, true) {
			c.Close()
			return
		}
		m.rpc(c)
		m.track(c, false)
	case rpcRaft:
		if !m.raft.push(c) {
			c.Close()
		}
	default:
		c.Close()
	}
}

// close stops accepting and drops open RPC connections.
func (m *muxListener) close() {
	m.ln.Close()
	m.closeMu.Lock()
	m.closed = true
	for c := range m.conns {
		c.Close()
	}
	m.closeMu.Unlock()
	m.wg.Wait()
}

// raftLayer is raft's StreamLayer over the shared server port.
type raftLayer struct {
	addr    net.Addr
	connCh  chan net.Conn
	closeCh chan struct{}
	once    sync.Once
}

var _ raft.StreamLayer = (*raftLayer)(nil)

func newRaftLayer(addr net.Addr) *raftLayer {
	return &raftLayer{addr: addr, connCh: make(chan net.Conn), closeCh: make(chan struct{})}
}

func (l *raftLayer) push(c net.Conn) bool {
	select {
	case l.connCh <- c:
		return true
	case <-l.closeCh:
		return false
	}
}

// Accept waits for the next raft connection.
func (l *raftLayer) Accept() (net.Conn, error) {
	select {
	case c := <-l.connCh:
		return c, nil
	case <-l.closeCh:
		return nil, errors.New("raft layer closed")
	}
}

// Close stops Accept.
func (l *raftLayer) Close() error {
	l.once.Do(func() { close(l.closeCh) })
	return nil
}

// Addr is the advertised server address.
func (l *raftLayer) Addr() net.Addr { return l.addr }

// Dial opens a raft connection to another server.
func (l *raftLayer) Dial(address raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	c, err := net.DialTimeout("tcp", string(address), timeout)
	if err != nil {
		return nil, err
	}
	if _, err := c.Write([]byte{rpcRaft}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}
