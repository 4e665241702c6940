package agent

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/gossible/gossible/agent/kv"
)

type txnOpJSON struct {
	KV      *kv.Op
	Node    json.RawMessage
	Service json.RawMessage
	Check   json.RawMessage
	Session json.RawMessage
}

type txnResultJSON struct {
	KV *kv.Entry
}

type txnErrorJSON struct {
	OpIndex int
	What    string
}

// txnEndpoint runs KV operations atomically: 200 with the results, or
// 409 with the failing operations and nothing applied.
func (a *Agent) txnEndpoint(w http.ResponseWriter, r *http.Request) (any, error) {
	dc := r.URL.Query().Get("dc")
	body, err := io.ReadAll(io.LimitReader(r.Body, a.config.KVMaxValueSize*int64(a.config.TxnMaxOps)+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	var ops []txnOpJSON
	if err := json.Unmarshal(body, &ops); err != nil {
		return nil, badRequest("Failed to parse body: %v", err)
	}
	if len(ops) > a.config.TxnMaxOps {
		return nil, httpError{code: http.StatusRequestEntityTooLarge,
			reason: fmt.Sprintf("Transaction contains too many operations (%d > %d)", len(ops), a.config.TxnMaxOps)}
	}
	req := &TxnRequest{Datacenter: dc}
	var errs []txnErrorJSON
	for i, op := range ops {
		switch {
		case op.KV != nil:
			if int64(len(op.KV.Value)) > a.config.KVMaxValueSize {
				return nil, tooLarge(int64(len(op.KV.Value)), a.config.KVMaxValueSize)
			}
			if op.KV.Key == "" && op.KV.Verb != kv.VerbDeleteTree {
				errs = append(errs, txnErrorJSON{OpIndex: i, What: "Must provide key"})
			}
			req.Ops = append(req.Ops, *op.KV)
		default:
			return nil, badRequest("operation %d: only KV operations are supported by this agent", i)
		}
	}
	if len(errs) == 0 {
		var out TxnResponse
		if err := a.RPC("Txn.Apply", req, &out); err != nil {
			return nil, err
		}
		for _, e := range out.Errors {
			errs = append(errs, txnErrorJSON{OpIndex: e.OpIndex, What: e.What})
		}
		if len(errs) == 0 {
			results := []txnResultJSON{}
			for _, e := range out.Entries {
				results = append(results, txnResultJSON{KV: e})
			}
			return map[string]any{"Results": results, "Errors": nil}, nil
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusConflict)
	buf, _ := json.Marshal(map[string]any{"Results": nil, "Errors": errs})
	w.Write(buf)
	return nil, nil
}
