package agent

import (
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/gossible/gossible/agent/kv"
)

// sessionEndpoint serves the Session.* RPCs on servers.
type sessionEndpoint struct{ s *server }

// Apply creates or destroys a session; it answers the session ID.
func (e *sessionEndpoint) Apply(args *SessionRequest, reply *string) error {
	return e.s.leaderWrite("Session.Apply", args.Datacenter, args, reply, func() error {
		return e.applyLocal(args, reply)
	})
}

func (e *sessionEndpoint) applyLocal(args *SessionRequest, reply *string) error {
	switch args.Op {
	case "create":
		se := args.Session
		if se.TTL != "" {
			d, err := time.ParseDuration(se.TTL)
			if err != nil {
				return fmt.Errorf("Session TTL '%s' invalid: %v", se.TTL, err)
			}
			if lo, hi := e.s.a.config.SessionTTLMin, 24*time.Hour; d != 0 && (d < lo || d > hi) {
				return fmt.Errorf("Invalid Session TTL '%s', must be between [%v=%v]", se.TTL, lo, hi)
			}
		}
		switch se.Behavior {
		case "", kv.BehaviorRelease, kv.BehaviorDelete:
		default:
			return fmt.Errorf("Invalid Behavior setting '%s'", se.Behavior)
		}
		se.ID = newUUID()
		res, err := e.s.apply(&kv.Command{SessionCreate: &se})
		if err != nil {
			return err
		}
		if res.Err != "" {
			return errors.New(res.Err)
		}
		e.s.sessions.reset(&se)
		*reply = se.ID
	case "destroy":
		if args.Session.ID == "" {
			return errors.New("Must provide ID")
		}
		if _, err := e.s.apply(&kv.Command{SessionDestroy: args.Session.ID}); err != nil {
			return err
		}
		e.s.sessions.stop(args.Session.ID)
		*reply = args.Session.ID
	default:
		return fmt.Errorf("Invalid session operation %q", args.Op)
	}
	return nil
}

// Get reads one session.
func (e *sessionEndpoint) Get(args *SessionQuery, reply *IndexedSessions) error {
	if done, err := e.s.forward("Session.Get", args.Datacenter, args.AllowStale, args, reply); done {
		return err
	}
	return e.s.blockingQuery(&args.QueryOptions, &reply.QueryMeta, func() uint64 {
		idx, se := e.s.store.SessionGet(args.ID)
		reply.Sessions = nil
		if se != nil {
			reply.Sessions = []*kv.Session{se}
		}
		return idx
	})
}

// List reads all sessions, or a node's when args.Node is set.
func (e *sessionEndpoint) List(args *SessionQuery, reply *IndexedSessions) error {
	if done, err := e.s.forward("Session.List", args.Datacenter, args.AllowStale, args, reply); done {
		return err
	}
	return e.s.blockingQuery(&args.QueryOptions, &reply.QueryMeta, func() uint64 {
		idx, ss := e.s.store.SessionList(args.Node)
		reply.Sessions = ss
		return idx
	})
}

// Renew restarts a session's TTL timer on the leader.
func (e *sessionEndpoint) Renew(args *SessionQuery, reply *IndexedSessions) error {
	if done, err := e.s.forward("Session.Renew", args.Datacenter, false, args, reply); done {
		return err
	}
	idx, se := e.s.store.SessionGet(args.ID)
	reply.Index = max(idx, 1)
	e.s.setMeta(&reply.QueryMeta)
	if se == nil {
		return nil
	}
	e.s.sessions.reset(se)
	reply.Sessions = []*kv.Session{se}
	return nil
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
