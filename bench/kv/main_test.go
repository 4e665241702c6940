package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{name: "defaults", args: nil},
		{name: "one system", args: []string{"-systems", "etcd", "-sizes", "100"}},
		{name: "bad size", args: []string{"-sizes", "256,big"}, wantErr: `"big" is not a positive byte count`},
		{name: "unknown system", args: []string{"-systems", "zookeeper"}, wantErr: `unknown system "zookeeper"`},
		{name: "not loopback", args: []string{"-etcd-net", "10.0.0."}, wantErr: "loopback only"},
		{name: "no clients", args: []string{"-clients", "0"}, wantErr: "must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFlags(tt.args)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// TestRunPhase checks the op budget, error counting and percentiles.
func TestRunPhase(t *testing.T) {
	var calls atomic.Int64
	o := &options{clients: 4, duration: 10 * time.Second, maxOps: 200}
	r := runPhase(context.Background(), o, func(ctx context.Context, client, n int) error {
		if calls.Add(1)%10 == 0 {
			return errors.New("refused")
		}
		time.Sleep(100 * time.Microsecond)
		return nil
	})
	if got := calls.Load(); got != 200 {
		t.Fatalf("%d calls, want the budget of 200", got)
	}
	if r.ops != 180 || r.errs != 20 {
		t.Fatalf("ops %d errs %d, want 180 and 20", r.ops, r.errs)
	}
	if r.p50 < 100*time.Microsecond || r.p99 < r.p50 {
		t.Fatalf("percentiles p50 %v p99 %v", r.p50, r.p99)
	}
}

func TestMedians(t *testing.T) {
	ms := time.Millisecond
	rows := []row{
		{system: "etcd", op: "put", size: 1, ops: 100, elapsed: time.Second, p50: 1 * ms, p99: 9 * ms},
		{system: "etcd", op: "put", size: 1, ops: 300, elapsed: time.Second, p50: 3 * ms, p99: 7 * ms, errs: 2},
		{system: "etcd", op: "put", size: 1, ops: 400, elapsed: 2 * time.Second, p50: 2 * ms, p99: 8 * ms},
		{system: "consul", op: "get", size: 1, ops: 50, elapsed: time.Second, p50: ms, p99: ms},
	}
	got := medians(rows)
	if len(got) != 2 {
		t.Fatalf("%d rows, want 2", len(got))
	}
	e := got[0]
	if e.rate() != 200 || e.p50 != 2*ms || e.p99 != 8*ms || e.errs != 2 || e.runs != 3 {
		t.Fatalf("median row %+v", e)
	}
	if got[1].rate() != 50 || got[1].runs != 1 {
		t.Fatalf("single row %+v", got[1])
	}
}

// TestAPIs runs both clients against fake servers that check the wire
// format each system expects.
func TestAPIs(t *testing.T) {
	store := map[string][]byte{}
	consul := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/v1/kv/")
		switch r.Method {
		case "PUT":
			store[key], _ = io.ReadAll(r.Body)
			io.WriteString(w, "true")
		case "GET":
			if _, ok := r.URL.Query()["consistent"]; !ok {
				http.Error(w, "read must be consistent", 400)
				return
			}
			json.NewEncoder(w).Encode([]map[string]any{{"Key": key, "Value": store[key]}})
		}
	}))
	defer consul.Close()
	etcd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Key, Value string }
		json.NewDecoder(r.Body).Decode(&req)
		key, _ := base64.StdEncoding.DecodeString(req.Key)
		switch r.URL.Path {
		case "/v3/kv/put":
			store["etcd/"+string(key)], _ = base64.StdEncoding.DecodeString(req.Value)
			io.WriteString(w, `{"header":{}}`)
		case "/v3/kv/range":
			v := base64.StdEncoding.EncodeToString(store["etcd/"+string(key)])
			io.WriteString(w, `{"kvs":[{"key":"`+req.Key+`","value":"`+v+`"}],"count":"1"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer etcd.Close()
	tests := []struct {
		name string
		api  kvAPI
	}{
		{name: "consul", api: &consulKV{hc: consul.Client(), urls: []string{consul.URL}}},
		{name: "etcd", api: &etcdKV{hc: etcd.Client(), urls: []string{etcd.URL}}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.api.put(ctx, 0, "a/b", []byte("hello")); err != nil {
				t.Fatal(err)
			}
			if err := tt.api.get(ctx, 0, "a/b", 5); err != nil {
				t.Fatal(err)
			}
			if err := tt.api.get(ctx, 0, "a/b", 6); err == nil {
				t.Fatal("a value of the wrong size was accepted")
			}
		})
	}
}
