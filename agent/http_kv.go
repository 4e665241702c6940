package agent

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gossible/gossible/agent/kv"
)

func (a *Agent) kvEndpoint(w http.ResponseWriter, r *http.Request) (any, error) {
	var q QueryOptions
	if err := a.parseQuery(r, &q); err != nil {
		return nil, err
	}
	if err := checkTraversal(r.URL.Path); err != nil {
		return nil, err
	}
	key := strings.TrimPrefix(r.URL.Path, "/v1/kv/")
	if key != "" {
		if err := validateKey(key); err != nil {
			return nil, badRequest("%s", err)
		}
	}
	p := r.URL.Query()
	switch r.Method {
	case "GET":
		if _, ok := p["keys"]; ok {
			return a.kvKeys(w, r, key, q)
		}
		return a.kvGet(w, r, key, q)
	case "PUT":
		return a.kvPut(w, r, key, q.Datacenter)
	default:
		return a.kvDelete(w, r, key, q.Datacenter)
	}
}

func (a *Agent) kvGet(w http.ResponseWriter, r *http.Request, key string, q QueryOptions) (any, error) {
	p := r.URL.Query()
	method := "KVS.Get"
	if _, ok := p["recurse"]; ok {
		method = "KVS.List"
	} else if key == "" {
		return nil, badRequest("Missing key name")
	}
	var out IndexedEntries
	if err := a.RPC(method, &KeyRequest{Key: key, QueryOptions: q}, &out); err != nil {
		return nil, err
	}
	setMeta(w, &out.QueryMeta)
	if len(out.Entries) == 0 {
		w.WriteHeader(http.StatusNotFound)
		return nil, nil
	}
	if _, ok := p["raw"]; ok && method == "KVS.Get" {
		body := out.Entries[0].Value
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "sandbox")
		w.Write(body)
		return nil, nil
	}
	return out.Entries, nil
}

func (a *Agent) kvKeys(w http.ResponseWriter, r *http.Request, prefix string, q QueryOptions) (any, error) {
	p := r.URL.Query()
	var sep string
	// Consul accepts the historic misspelling too.
	if _, ok := p["seperator"]; ok {
		sep = p.Get("seperator")
	}
	if _, ok := p["separator"]; ok {
		sep = p.Get("separator")
	}
	var out IndexedKeys
	if err := a.RPC("KVS.ListKeys", &KeyListRequest{Prefix: prefix, Separator: sep, QueryOptions: q}, &out); err != nil {
		return nil, err
	}
	setMeta(w, &out.QueryMeta)
	if len(out.Keys) == 0 && prefix != "" {
		w.WriteHeader(http.StatusNotFound)
		return nil, nil
	}
	if out.Keys == nil {
		out.Keys = []string{}
	}
	return out.Keys, nil
}

func (a *Agent) kvPut(w http.ResponseWriter, r *http.Request, key, dc string) (any, error) {
	if key == "" {
		return nil, badRequest("Missing key name")
	}
	if conflict := conflictingFlags(r, "cas", "acquire", "release"); conflict != nil {
		return nil, conflict
	}
	p := r.URL.Query()
	op := kv.Op{Verb: kv.VerbSet, Key: key}
	if _, ok := p["flags"]; ok {
		v, err := strconv.ParseUint(p.Get("flags"), 10, 64)
		if err != nil {
			return nil, err
		}
		op.Flags = v
	}
	if _, ok := p["cas"]; ok {
		v, err := strconv.ParseUint(p.Get("cas"), 10, 64)
		if err != nil {
			return nil, err
		}
		op.Index, op.Verb = v, kv.VerbCAS
	}
	if _, ok := p["acquire"]; ok {
		op.Session, op.Verb = p.Get("acquire"), kv.VerbLock
	}
	if _, ok := p["release"]; ok {
		op.Session, op.Verb = p.Get("release"), kv.VerbUnlock
	}
	limit := a.config.KVMaxValueSize
	if r.ContentLength > limit {
		return nil, tooLarge(r.ContentLength, limit)
	}
	// Chunked bodies have no length up front: read one byte past the limit.
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, tooLarge(int64(len(body)), limit)
	}
	if len(body) > 0 {
		op.Value = body
	}
	var ok bool
	if err := a.RPC("KVS.Apply", &KVSRequest{Datacenter: dc, Op: op}, &ok); err != nil {
		return nil, err
	}
	if op.Verb == kv.VerbSet {
		return true, nil
	}
	return ok, nil
}

func (a *Agent) kvDelete(w http.ResponseWriter, r *http.Request, key, dc string) (any, error) {
	if conflict := conflictingFlags(r, "recurse", "cas"); conflict != nil {
		return nil, conflict
	}
	p := r.URL.Query()
	op := kv.Op{Verb: kv.VerbDelete, Key: key}
	if _, ok := p["recurse"]; ok {
		op.Verb = kv.VerbDeleteTree
	} else if key == "" {
		return nil, badRequest("Missing key name")
	}
	if _, ok := p["cas"]; ok {
		v, err := strconv.ParseUint(p.Get("cas"), 10, 64)
		if err != nil {
			return nil, err
		}
		op.Index, op.Verb = v, kv.VerbDeleteCAS
	}
	var ok bool
	if err := a.RPC("KVS.Apply", &KVSRequest{Datacenter: dc, Op: op}, &ok); err != nil {
		return nil, err
	}
	if op.Verb == kv.VerbDeleteCAS {
		return ok, nil
	}
	return true, nil
}

func tooLarge(size, limit int64) error {
	return httpError{code: http.StatusRequestEntityTooLarge, reason: fmt.Sprintf(
		"Request body(%d bytes) too large, max size: %d bytes. See %s.", size, limit,
		"https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size")}
}

// conflictingFlags refuses requests combining flags that do not compose.
func conflictingFlags(r *http.Request, flags ...string) error {
	p := r.URL.Query()
	found := false
	for _, f := range flags {
		if _, ok := p[f]; ok {
			if found {
				return badRequest("Conflicting flags: %v\n", p.Encode())
			}
			found = true
		}
	}
	return nil
}
