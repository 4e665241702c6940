package agent

import (
	"sync"
	"time"

	"github.com/gossible/gossible/agent/kv"
)

// sessionTimers invalidates TTL sessions on the leader when they are not
// renewed within TTL times the configured multiplier.
type sessionTimers struct {
	s      *server
	mu     sync.Mutex
	timers map[string]*time.Timer
}

func newSessionTimers(s *server) *sessionTimers {
	return &sessionTimers{s: s, timers: map[string]*time.Timer{}}
}

func (t *sessionTimers) reset(se *kv.Session) {
	if se.TTL == "" {
		return
	}
	d, err := time.ParseDuration(se.TTL)
	if err != nil || d <= 0 {
		return
	}
	d *= time.Duration(t.s.a.config.SessionTTLMultiplier)
	id := se.ID
	t.mu.Lock()
	defer t.mu.Unlock()
	if old := t.timers[id]; old != nil {
		old.Stop()
	}
	t.timers[id] = time.AfterFunc(d, func() {
		t.stop(id)
		if !t.s.isLeader() {
			return
		}
		if _, err := t.s.apply(&kv.Command{SessionDestroy: id}); err != nil {
			t.s.logger.Warn("session TTL invalidation failed", "session", id, "error", err)
		}
	})
}

func (t *sessionTimers) stop(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tm := t.timers[id]; tm != nil {
		tm.Stop()
		delete(t.timers, id)
	}
}

func (t *sessionTimers) stopAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, tm := range t.timers {
		tm.Stop()
		delete(t.timers, id)
	}
}
