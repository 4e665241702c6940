package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// httpError carries a status code and a plain-text reason, as Consul's.
type httpError struct {
	code   int
	reason string
}

func (e httpError) Error() string { return e.reason }

func badRequest(format string, args ...any) error {
	return httpError{code: http.StatusBadRequest, reason: fmt.Sprintf(format, args...)}
}

// endpoint answers a request with an object to encode as JSON (nil: the
// endpoint wrote the response itself) or an error.
type endpoint func(w http.ResponseWriter, r *http.Request) (any, error)

type route struct {
	path    string // exact path, or a prefix when it ends with "/"
	methods []string
	h       endpoint
}

// httpHandler routes by hand rather than with http.ServeMux, which
// cleans paths and would redirect KV keys containing "..".
func (a *Agent) httpHandler() http.Handler {
	get, put := []string{"GET"}, []string{"PUT"}
	routes := []route{
		{"/v1/kv/", []string{"GET", "PUT", "DELETE"}, a.kvEndpoint},
		{"/v1/txn", put, a.txnEndpoint},
		{"/v1/status/leader", get, a.statusLeader},
		{"/v1/status/peers", get, a.statusPeers},
		{"/v1/agent/self", get, a.agentSelf},
		{"/v1/agent/members", get, a.agentMembers},
		{"/v1/agent/join/", put, a.agentJoin},
		{"/v1/agent/leave", put, a.agentLeave},
		{"/v1/session/create", put, a.sessionCreate},
		{"/v1/session/destroy/", put, a.sessionDestroy},
		{"/v1/session/renew/", put, a.sessionRenew},
		{"/v1/session/info/", get, a.sessionInfo},
		{"/v1/session/node/", get, a.sessionNode},
		{"/v1/session/list", get, a.sessionList},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rt := range routes {
			if r.URL.Path == rt.path || (strings.HasSuffix(rt.path, "/") && strings.HasPrefix(r.URL.Path, rt.path)) {
				a.serve(w, r, rt)
				return
			}
		}
		a.index(w, r)
	})
}

func (a *Agent) index(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/" && a.config.UI:
		http.Redirect(w, r, "/ui/", http.StatusMovedPermanently)
	case r.URL.Path == "/":
		fmt.Fprint(w, "Consul Agent: UI disabled. To enable, set ui_config.enabled=true in the agent configuration and restart.")
	case strings.HasPrefix(r.URL.Path, "/ui/") && a.config.UI && a.config.UIDir != "":
		http.StripPrefix("/ui/", http.FileServer(http.Dir(a.config.UIDir))).ServeHTTP(w, r)
	case strings.HasPrefix(r.URL.Path, "/ui") && a.config.UI:
		fmt.Fprint(w, "Consul UI: no -ui-dir was given, so there are no UI files to serve.")
	case strings.Contains(r.URL.Path, "/v1/"):
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintln(w, "Invalid URL path: not a recognized HTTP API endpoint")
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintln(w, "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'")
	}
}

func (a *Agent) serve(w http.ResponseWriter, r *http.Request, rt route) {
	if r.Method == "OPTIONS" {
		w.Header().Add("Allow", strings.Join(append([]string{"OPTIONS"}, rt.methods...), ","))
		return
	}
	allowed := false
	for _, m := range rt.methods {
		allowed = allowed || m == r.Method
	}
	var obj any
	var err error
	if !allowed {
		w.Header().Add("Allow", strings.Join(append([]string{"OPTIONS"}, rt.methods...), ","))
		err = httpError{code: http.StatusMethodNotAllowed, reason: fmt.Sprintf("method %s not allowed", r.Method)}
	} else {
		obj, err = rt.h(w, r)
	}
	if err != nil {
		code := http.StatusInternalServerError
		var he httpError
		if errors.As(err, &he) {
			code = he.code
		}
		if code >= 500 {
			a.logger.Error("agent.http: Request error", "method", r.Method, "url", r.URL.String(), "from", r.RemoteAddr, "error", err)
		}
		w.WriteHeader(code)
		fmt.Fprint(w, err.Error())
		return
	}
	if obj == nil {
		return
	}
	var buf []byte
	if _, ok := r.URL.Query()["pretty"]; ok {
		buf, err = json.MarshalIndent(obj, "", "    ")
		buf = append(buf, '\n')
	} else {
		buf, err = json.Marshal(obj)
	}
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf)
}

// parseQuery reads dc, consistency and blocking parameters.
func (a *Agent) parseQuery(r *http.Request, q *QueryOptions) error {
	p := r.URL.Query()
	q.Datacenter = p.Get("dc")
	_, q.AllowStale = p["stale"]
	_, q.RequireConsistent = p["consistent"]
	if q.AllowStale && q.RequireConsistent {
		return badRequest("Cannot specify ?stale with ?consistent, conflicting semantics.")
	}
	if wait := p.Get("wait"); wait != "" {
		d, err := time.ParseDuration(wait)
		if err != nil {
			return badRequest("Invalid wait time")
		}
		q.MaxQueryTime = d
	}
	if idx := p.Get("index"); idx != "" {
		n, err := strconv.ParseUint(idx, 10, 64)
		if err != nil {
			return badRequest("Invalid index")
		}
		q.MinIndex = n
	}
	return nil
}

// setMeta writes the query headers; the index is never 0.
func setMeta(w http.ResponseWriter, m *QueryMeta) {
	w.Header().Set("X-Consul-Index", strconv.FormatUint(max(m.Index, 1), 10))
	w.Header().Set("X-Consul-KnownLeader", strconv.FormatBool(m.KnownLeader))
	w.Header().Set("X-Consul-LastContact", strconv.FormatUint(uint64(max(m.LastContact, 0)/time.Millisecond), 10))
}
