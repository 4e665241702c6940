package agent

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gossible/gossible/agent/kv"
)

// sessionBody is the create request; LockDelay is a duration string or a
// number (seconds below 1000, nanoseconds otherwise, as Consul reads it).
type sessionBody struct {
	Name       string
	Node       string
	LockDelay  json.RawMessage
	Behavior   string
	TTL        string
	Checks     []string
	NodeChecks []string
}

func (a *Agent) sessionCreate(w http.ResponseWriter, r *http.Request) (any, error) {
	var q QueryOptions
	if err := a.parseQuery(r, &q); err != nil {
		return nil, err
	}
	var b sessionBody
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, badRequest("Request decode failed: %v", err)
		}
	}
	delay, err := parseLockDelay(b.LockDelay)
	if err != nil {
		return nil, badRequest("Request decode failed: %v", err)
	}
	se := kv.Session{Name: b.Name, Node: b.Node, LockDelay: delay, Behavior: b.Behavior, TTL: b.TTL,
		NodeChecks: append(b.NodeChecks, b.Checks...)}
	if se.Node == "" {
		se.Node = a.config.NodeName
	}
	if len(se.NodeChecks) == 0 {
		se.NodeChecks = []string{"serfHealth"}
	}
	var id string
	if err := a.RPC("Session.Apply", &SessionRequest{Datacenter: q.Datacenter, Op: "create", Session: se}, &id); err != nil {
		return nil, err
	}
	return map[string]string{"ID": id}, nil
}

func parseLockDelay(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 15 * time.Second, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("invalid LockDelay %q: %w", s, err)
		}
		return d, nil
	}
	var n float64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("invalid LockDelay %s", raw)
	}
	if n < 1000 {
		return time.Duration(n * float64(time.Second)), nil
	}
	return time.Duration(n), nil
}

func (a *Agent) sessionDestroy(w http.ResponseWriter, r *http.Request) (any, error) {
	id := strings.TrimPrefix(r.URL.Path, "/v1/session/destroy/")
	if id == "" {
		return nil, badRequest("Missing session")
	}
	var out string
	req := &SessionRequest{Datacenter: r.URL.Query().Get("dc"), Op: "destroy", Session: kv.Session{ID: id}}
	if err := a.RPC("Session.Apply", req, &out); err != nil {
		return nil, err
	}
	return true, nil
}

func (a *Agent) sessionRenew(w http.ResponseWriter, r *http.Request) (any, error) {
	id := strings.TrimPrefix(r.URL.Path, "/v1/session/renew/")
	if id == "" {
		return nil, badRequest("Missing session")
	}
	var out IndexedSessions
	args := &SessionQuery{ID: id, QueryOptions: QueryOptions{Datacenter: r.URL.Query().Get("dc")}}
	if err := a.RPC("Session.Renew", args, &out); err != nil {
		return nil, err
	}
	if len(out.Sessions) == 0 {
		return nil, httpError{code: http.StatusNotFound, reason: fmt.Sprintf("Session id '%s' not found", id)}
	}
	return out.Sessions, nil
}

func (a *Agent) sessionQuery(w http.ResponseWriter, r *http.Request, method string, args *SessionQuery) (any, error) {
	if err := a.parseQuery(r, &args.QueryOptions); err != nil {
		return nil, err
	}
	var out IndexedSessions
	if err := a.RPC(method, args, &out); err != nil {
		return nil, err
	}
	setMeta(w, &out.QueryMeta)
	if out.Sessions == nil {
		out.Sessions = []*kv.Session{}
	}
	return out.Sessions, nil
}

func (a *Agent) sessionInfo(w http.ResponseWriter, r *http.Request) (any, error) {
	id := strings.TrimPrefix(r.URL.Path, "/v1/session/info/")
	if id == "" {
		return nil, badRequest("Missing session")
	}
	return a.sessionQuery(w, r, "Session.Get", &SessionQuery{ID: id})
}

func (a *Agent) sessionNode(w http.ResponseWriter, r *http.Request) (any, error) {
	node := strings.TrimPrefix(r.URL.Path, "/v1/session/node/")
	if node == "" {
		return nil, badRequest("Missing node name")
	}
	return a.sessionQuery(w, r, "Session.List", &SessionQuery{Node: node})
}

func (a *Agent) sessionList(w http.ResponseWriter, r *http.Request) (any, error) {
	return a.sessionQuery(w, r, "Session.List", &SessionQuery{})
}
