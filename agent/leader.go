package agent

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/gossible/gossible/agent/kv"
	"github.com/hashicorp/raft"
	"github.com/hashicorp/serf/serf"
)

// monitorLeadership runs the leader loop while this server leads.
func (s *server) monitorLeadership() {
	defer s.wg.Done()
	var stop chan struct{}
	var loop sync.WaitGroup
	for {
		select {
		case isLeader := <-s.raft.LeaderCh():
			if isLeader && stop == nil {
				stop = make(chan struct{})
				loop.Add(1)
				go func(stop chan struct{}) {
					defer loop.Done()
					s.leaderLoop(stop)
				}(stop)
			} else if !isLeader && stop != nil {
				close(stop)
				loop.Wait()
				stop = nil
				s.sessions.stopAll()
				s.logger.Info("cluster leadership lost")
			}
		case <-s.shutdownCh:
			if stop != nil {
				close(stop)
				loop.Wait()
			}
			return
		}
	}
}

// observeLeader logs every leader change, as Consul's "New leader elected".
func (s *server) observeLeader() {
	defer s.wg.Done()
	ch := make(chan raft.Observation, 8)
	obs := raft.NewObserver(ch, false, func(o *raft.Observation) bool {
		_, ok := o.Data.(raft.LeaderObservation)
		return ok
	})
	s.raft.RegisterObserver(obs)
	defer s.raft.DeregisterObserver(obs)
	for {
		select {
		case o := <-ch:
			if lo := o.Data.(raft.LeaderObservation); lo.LeaderID != "" {
				s.logger.Info("New leader elected: " + string(lo.LeaderID))
			}
		case <-s.shutdownCh:
			return
		}
	}
}

func (s *server) leaderLoop(stop chan struct{}) {
	s.logger.Info("cluster leadership acquired")
	// A barrier makes the FSM current before the leader acts on its state.
	for {
		err := s.raft.Barrier(time.Minute).Error()
		if err == nil {
			break
		}
		s.logger.Error("leader barrier failed", "error", err)
		select {
		case <-stop:
			return
		case <-s.shutdownCh:
			return
		case <-time.After(s.a.config.Raft.HeartbeatTimeout):
		}
	}
	s.readyReads.Store(true)
	defer s.readyReads.Store(false)
	_, sessions := s.store.SessionList("")
	for _, se := range sessions {
		s.sessions.reset(se)
	}
	ticker := time.NewTicker(s.a.config.ReconcileInterval)
	defer ticker.Stop()
	for {
		s.reconcileMembers()
		select {
		case <-stop:
			return
		case <-s.shutdownCh:
			return
		case <-ticker.C:
		case <-s.reconcile:
		}
	}
}

// triggerReconcile asks the leader loop to look at gossip membership now.
func (s *server) triggerReconcile() {
	select {
	case s.reconcile <- struct{}{}:
	default:
	}
}

// reconcileMembers makes raft membership follow gossip: alive servers are
// added as voters, servers that left are removed, and the sessions of
// nodes that left or failed are invalidated.
func (s *server) reconcileMembers() {
	if !s.isLeader() || s.a.serf == nil {
		return
	}
	f := s.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		s.logger.Warn("read raft configuration failed", "error", err)
		return
	}
	inRaft := map[raft.ServerID]raft.ServerAddress{}
	for _, srv := range f.Configuration().Servers {
		inRaft[srv.ID] = srv.Address
	}
	members := s.a.serf.Members()
	s.removeDeadServers(members, inRaft)
	for _, m := range members {
		if m.Status == serf.StatusLeft || m.Status == serf.StatusFailed {
			s.invalidateNodeSessions(m.Name)
		}
		p, ok := serverPart(m, s.a.config.Datacenter)
		if !ok {
			continue
		}
		id := raft.ServerID(m.Name)
		addr, present := inRaft[id]
		switch m.Status {
		case serf.StatusAlive:
			// A leader missing from its own configuration is leaving: never re-add it.
			if (present && string(addr) == p.addr) || m.Name == s.a.config.NodeName {
				continue
			}
			s.logger.Info("adding server to raft", "server", m.Name, "addr", p.addr)
			if err := s.raft.AddVoter(id, raft.ServerAddress(p.addr), 0, 0).Error(); err != nil {
				s.logger.Warn("add raft voter failed", "server", m.Name, "error", err)
			}
		case serf.StatusLeft:
			if !present || m.Name == s.a.config.NodeName {
				continue
			}
			s.logger.Info("removing server from raft", "server", m.Name)
			if err := s.raft.RemoveServer(id, 0, 0).Error(); err != nil {
				s.logger.Warn("remove raft server failed", "server", m.Name, "error", err)
			}
		}
	}
}

// removeDeadServers drops servers failed for DeadServerCleanup from raft,
// as Consul's autopilot does, so later departures do not cost the quorum;
// it never removes half or more of the servers at once. Only the leader
// loop calls it, so failedSince needs no lock. A failed server that comes back
// is added again by reconcileMembers.
func (s *server) removeDeadServers(members []serf.Member, inRaft map[raft.ServerID]raft.ServerAddress) {
	var failed []raft.ServerID
	now := time.Now()
	seen := map[string]bool{}
	for _, m := range members {
		if _, ok := serverPart(m, s.a.config.Datacenter); !ok || m.Status != serf.StatusFailed {
			continue
		}
		if _, present := inRaft[raft.ServerID(m.Name)]; !present || m.Name == s.a.config.NodeName {
			continue
		}
		seen[m.Name] = true
		since, ok := s.failedSince[m.Name]
		if !ok {
			s.failedSince[m.Name] = now
			continue
		}
		if now.Sub(since) >= s.a.config.DeadServerCleanup {
			failed = append(failed, raft.ServerID(m.Name))
		}
	}
	for name := range s.failedSince {
		if !seen[name] {
			delete(s.failedSince, name)
		}
	}
	if len(failed) == 0 || len(failed)*2 >= len(inRaft) {
		return
	}
	for _, id := range failed {
		s.logger.Info("removing failed server from raft", "server", id)
		if err := s.raft.RemoveServer(id, 0, 0).Error(); err != nil {
			s.logger.Warn("remove failed raft server failed", "server", id, "error", err)
			continue
		}
		delete(inRaft, id)
	}
}

func (s *server) invalidateNodeSessions(node string) {
	_, sessions := s.store.SessionList(node)
	for _, se := range sessions {
		s.logger.Info("invalidating session of departed node", "session", se.ID, "node", node)
		if _, err := s.apply(&kv.Command{SessionDestroy: se.ID}); err != nil {
			s.logger.Warn("session invalidation failed", "session", se.ID, "error", err)
		}
	}
}

// serverInfo is what gossip tags say about a server.
type serverInfo struct {
	addr   string // ip:port of its server port
	expect int
}

// serverPart reads a member's server tags; ok is false for clients and
// servers of other datacenters.
func serverPart(m serf.Member, dc string) (serverInfo, bool) {
	if m.Tags["role"] != "consul" || m.Tags["dc"] != dc {
		return serverInfo{}, false
	}
	port, err := strconv.Atoi(m.Tags["port"])
	if err != nil {
		return serverInfo{}, false
	}
	info := serverInfo{addr: net.JoinHostPort(m.Addr.String(), strconv.Itoa(port))}
	info.expect, _ = strconv.Atoi(m.Tags["expect"])
	return info, true
}

// maybeBootstrap bootstraps raft once BootstrapExpect servers gossip,
// unless one of them already belongs to a cluster.
func (s *server) maybeBootstrap() {
	want := s.a.config.BootstrapExpect
	if want == 0 {
		return
	}
	f := s.raft.GetConfiguration()
	if f.Error() != nil || len(f.Configuration().Servers) > 0 {
		return
	}
	var servers []raft.Server
	for _, m := range s.a.serf.Members() {
		p, ok := serverPart(m, s.a.config.Datacenter)
		if !ok || m.Status != serf.StatusAlive {
			continue
		}
		if p.expect != want {
			s.logger.Error("member has a conflicting expect value; all servers should expect the same number",
				"member", m.Name, "expect", p.expect)
			return
		}
		servers = append(servers, raft.Server{ID: raft.ServerID(m.Name), Address: raft.ServerAddress(p.addr)})
	}
	if len(servers) < want {
		return
	}
	for _, srv := range servers {
		if string(srv.Address) == s.addr {
			continue
		}
		var peers []string
		if err := s.a.pool.call(string(srv.Address), "Status.Peers", &Empty{}, &peers); err != nil {
			s.logger.Warn("cannot ask server for its peers; delaying bootstrap", "server", srv.ID, "error", err)
			return
		}
		if len(peers) > 0 {
			s.logger.Info("existing raft peers reported by server, disabling bootstrap mode", "server", srv.ID)
			return
		}
	}
	s.logger.Info("found expected number of peers, attempting bootstrap", "peers", len(servers))
	if err := s.raft.BootstrapCluster(raft.Configuration{Servers: servers}).Error(); err != nil && err != raft.ErrCantBootstrap {
		s.logger.Error("bootstrap failed", "error", err)
	}
}
