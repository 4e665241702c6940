package agent

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// TestChapterSession replays the book's curl session against one
// bootstrapped server.
func TestChapterSession(t *testing.T) {
	a := startAgent(t, "cd", bootstrap)
	waitLeader(t, a)
	kvURL := a.testURL("/v1/kv/")

	for _, p := range []struct{ path, body string }{
		{"msg1", "this is a test"},
		{"messages/msg2", "this is another test"},
		{"messages/msg3?flags=1234", "and a third"},
	} {
		if r := do(t, "PUT", kvURL+p.path, p.body); r.code != 200 || r.body != "true" {
			t.Fatalf("PUT %s: %d %q", p.path, r.code, r.body)
		}
	}
	r := do(t, "GET", kvURL+"?recurse", "")
	if r.code != 200 {
		t.Fatalf("GET ?recurse: %d %s", r.code, r.body)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(r.body), &entries); err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Fatalf("want 3 entries, got %s", r.body)
	}
	byKey := map[string]map[string]any{}
	for _, e := range entries {
		for _, f := range []string{"CreateIndex", "ModifyIndex", "LockIndex", "Key", "Flags", "Value"} {
			if _, ok := e[f]; !ok {
				t.Fatalf("entry lacks %s: %v", f, e)
			}
		}
		byKey[e["Key"].(string)] = e
	}
	if v := byKey["msg1"]["Value"]; v != "dGhpcyBpcyBhIHRlc3Q=" {
		t.Fatalf("msg1 value %v", v)
	}
	if f := byKey["messages/msg3"]["Flags"]; f != float64(1234) {
		t.Fatalf("msg3 flags %v", f)
	}
	idx, _ := strconv.Atoi(r.header.Get("X-Consul-Index"))
	if idx < 1 || r.header.Get("X-Consul-KnownLeader") != "true" || r.header.Get("X-Consul-LastContact") == "" {
		t.Fatalf("headers %v", r.header)
	}

	if r := do(t, "GET", kvURL+"msg1", ""); r.code != 200 || !strings.Contains(r.body, `"Key":"msg1"`) || !strings.HasPrefix(r.body, "[") {
		t.Fatalf("GET msg1: %d %s", r.code, r.body)
	}
	if r := do(t, "GET", kvURL+"msg1?raw", ""); r.code != 200 || r.body != "this is a test" {
		t.Fatalf("GET msg1?raw: %d %q", r.code, r.body)
	}
	if r := do(t, "DELETE", kvURL+"messages/msg2", ""); r.code != 200 || r.body != "true" {
		t.Fatalf("DELETE msg2: %d %s", r.code, r.body)
	}
	r = do(t, "GET", kvURL+"messages/msg2", "")
	if r.code != 404 || r.body != "" || r.header.Get("X-Consul-Index") == "" || r.header.Get("X-Consul-KnownLeader") == "" {
		t.Fatalf("GET deleted: %d %q %v", r.code, r.body, r.header)
	}
	delIdx, _ := strconv.Atoi(r.header.Get("X-Consul-Index"))
	if delIdx <= idx {
		t.Fatalf("index after delete %d not above %d", delIdx, idx)
	}
	if r := do(t, "DELETE", kvURL+"?recurse", ""); r.code != 200 {
		t.Fatalf("DELETE ?recurse: %d %s", r.code, r.body)
	}
	r = do(t, "GET", kvURL+"?recurse", "")
	if r.code != 404 {
		t.Fatalf("GET after delete-all: %d %s", r.code, r.body)
	}
	if after, _ := strconv.Atoi(r.header.Get("X-Consul-Index")); after <= delIdx {
		t.Fatalf("index went backwards: %d after %d", after, delIdx)
	}
	if r := do(t, "PUT", kvURL+"empty", ""); r.code != 200 {
		t.Fatal(r.body)
	}
	if r := do(t, "GET", kvURL+"empty", ""); !strings.Contains(r.body, `"Value":null`) {
		t.Fatalf("empty value: %s", r.body)
	}
}

func TestKVBadInput(t *testing.T) {
	a := startAgent(t, "bad", bootstrap)
	waitLeader(t, a)
	big := strings.Repeat("x", 512*1024+1)
	tests := []struct {
		name     string
		method   string
		path     string
		body     string
		wantCode int
		wantBody string
	}{
		{name: "traversal", method: "PUT", path: "/v1/kv/a/../b", wantCode: 400, wantBody: "URL path contains invalid traversal sequence"},
		{name: "bad char", method: "PUT", path: "/v1/kv/a:b", wantCode: 400,
			wantBody: "key contains invalid character ':' at position 1. Only alphanumeric characters and ,-_./ are allowed"},
		{name: "cache suffix", method: "GET", path: "/v1/kv/x.json", wantCode: 400,
			wantBody: "key contains suspicious file extension '.json' that may be cached by proxies"},
		{name: "flags not a number", method: "PUT", path: "/v1/kv/k?flags=x", wantCode: 500,
			wantBody: `strconv.ParseUint: parsing "x": invalid syntax`},
		{name: "negative cas", method: "PUT", path: "/v1/kv/k?cas=-1", wantCode: 500,
			wantBody: `strconv.ParseUint: parsing "-1": invalid syntax`},
		{name: "cas with acquire", method: "PUT", path: "/v1/kv/k?cas=1&acquire=abc", wantCode: 400,
			wantBody: "Conflicting flags: acquire=abc&cas=1\n"},
		{name: "recurse with cas", method: "DELETE", path: "/v1/kv/k?recurse&cas=1", wantCode: 400,
			wantBody: "Conflicting flags: cas=1&recurse=\n"},
		{name: "oversize", method: "PUT", path: "/v1/kv/k", body: big, wantCode: 413,
			wantBody: "Request body(524289 bytes) too large, max size: 524288 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size."},
		{name: "missing key", method: "PUT", path: "/v1/kv/", wantCode: 400, wantBody: "Missing key name"},
		{name: "get root without recurse", method: "GET", path: "/v1/kv/", wantCode: 400, wantBody: "Missing key name"},
		{name: "stale and consistent", method: "GET", path: "/v1/kv/k?stale&consistent", wantCode: 400,
			wantBody: "Cannot specify ?stale with ?consistent, conflicting semantics."},
		{name: "bad index", method: "GET", path: "/v1/kv/k?index=abc", wantCode: 400, wantBody: "Invalid index"},
		{name: "bad wait", method: "GET", path: "/v1/kv/k?index=1&wait=soon", wantCode: 400, wantBody: "Invalid wait time"},
		{name: "acquire unknown session", method: "PUT", path: "/v1/kv/k?acquire=nope", wantCode: 500, wantBody: `Invalid session "nope"`},
		{name: "method", method: "POST", path: "/v1/kv/k", wantCode: 405, wantBody: "method POST not allowed"},
		{name: "unknown endpoint", method: "GET", path: "/v1/nope", wantCode: 404,
			wantBody: "Invalid URL path: not a recognized HTTP API endpoint\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, a.testURL(tt.path), tt.body)
			if r.code != tt.wantCode || r.body != tt.wantBody {
				t.Fatalf("got %d %q, want %d %q", r.code, r.body, tt.wantCode, tt.wantBody)
			}
		})
	}
}
