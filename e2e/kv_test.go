package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// kvEntry is one element of GET /v1/kv/... as the chapter shows it.
type kvEntry struct {
	CreateIndex, ModifyIndex, LockIndex uint64
	Key                                 string
	Flags                               uint64
	Value                               string // base64
}

// kvFields are the fields the chapter's output shows for every entry.
var kvFields = []string{"CreateIndex", "Flags", "Key", "LockIndex", "ModifyIndex", "Value"}

// decodeKV decodes a KV listing strictly: each object must carry the
// chapter's fields, with a base64 value.
func decodeKV(body string) ([]kvEntry, error) {
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		return nil, fmt.Errorf("kv listing %q: %w", body, err)
	}
	var es []kvEntry
	for _, obj := range raw {
		for _, f := range kvFields {
			if _, ok := obj[f]; !ok {
				return nil, fmt.Errorf("kv entry %s lacks %s", mustJSON(obj), f)
			}
		}
		b, _ := json.Marshal(obj)
		var e kvEntry
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, fmt.Errorf("kv entry %s: %w", b, err)
		}
		if _, err := base64.StdEncoding.DecodeString(e.Value); err != nil {
			return nil, fmt.Errorf("kv entry %s: value is not base64: %w", e.Key, err)
		}
		if e.CreateIndex == 0 || e.ModifyIndex < e.CreateIndex {
			return nil, fmt.Errorf("kv entry %s: indexes create=%d modify=%d", e.Key, e.CreateIndex, e.ModifyIndex)
		}
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Key < es[j].Key })
	return es, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// want checks a request's status and body, or returns why not.
func (c *chapterCluster) want(method, url, body string, code int, wantBody string) error {
	var in io.Reader // nil interface: no request body
	if body != "" {
		in = strings.NewReader(body)
	}
	got, gotCode, err := c.curl(method, url, in)
	if err != nil {
		return err
	}
	if gotCode != code || (wantBody != "\x00" && strings.TrimSpace(got) != wantBody) {
		return fmt.Errorf("%s %s: %d %q, want %d %q", method, url, gotCode, got, code, wantBody)
	}
	return nil
}

// anyBody accepts any response body in want.
const anyBody = "\x00"

// checkKVAcrossHosts writes a key with flags through the client on .203 and
// reads it back through .201 (the server) and .202.
func (c *chapterCluster) checkKVAcrossHosts(t *testing.T) {
	const key, value, flags = "e2e/through-03", "written through serv-disc-03", 42
	if err := c.want("PUT", c.apiURL(2, fmt.Sprintf("/v1/kv/%s?flags=%d", key, flags)), value, 200, "true"); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1} {
		err := eventually(10*time.Second, 200*time.Millisecond, func() error {
			if err := c.want("GET", c.apiURL(i, "/v1/kv/"+key+"?raw"), "", 200, value); err != nil {
				return err
			}
			body, code, err := c.curl("GET", c.apiURL(i, "/v1/kv/"+key), nil)
			if err != nil || code != 200 {
				return fmt.Errorf("GET %s: %d %q %v", key, code, body, err)
			}
			es, err := decodeKV(body)
			if err != nil {
				return err
			}
			if len(es) != 1 || es[0].Key != key || es[0].Flags != flags || es[0].Value != b64(value) {
				return fmt.Errorf("GET %s through %s: %+v, want flags %d value %s", key, c.Hosts[i].Name, es, flags, b64(value))
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	if err := c.want("DELETE", c.apiURL(0, "/v1/kv/e2e?recurse"), "", 200, "true"); err != nil {
		t.Error(err)
	}
}

// checkKVSession is the chapter's key/value session, with curl in the
// controller against serv-disc-01's agent.
func (c *chapterCluster) checkKVSession(t *testing.T) {
	u := func(p string) string { return c.apiURL(0, p) }
	values := map[string]string{
		"msg1":          "this is a test",
		"messages/msg2": "this is another test",
		"messages/msg3": "this is a test with flags",
	}
	steps := []struct {
		name, method, path, body string
		code                     int
		want                     string
	}{
		{"put msg1", "PUT", "/v1/kv/msg1", values["msg1"], 200, "true"},
		{"put msg2", "PUT", "/v1/kv/messages/msg2", values["messages/msg2"], 200, "true"},
		{"put msg3 with flags", "PUT", "/v1/kv/messages/msg3?flags=1234", values["messages/msg3"], 200, "true"},
	}
	for _, s := range steps {
		if err := c.want(s.method, u(s.path), s.body, s.code, s.want); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}

	body, code, err := c.curl("GET", u("/v1/kv/?recurse"), nil)
	if err != nil || code != 200 {
		t.Fatalf("GET ?recurse: %d %q %v", code, body, err)
	}
	es, err := decodeKV(body)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range es {
		keys = append(keys, e.Key)
		v, _ := base64.StdEncoding.DecodeString(e.Value)
		if string(v) != values[e.Key] {
			t.Errorf("?recurse: %s = %q, want %q", e.Key, v, values[e.Key])
		}
		if wantFlags := map[string]uint64{"messages/msg3": 1234}[e.Key]; e.Flags != wantFlags {
			t.Errorf("?recurse: %s flags %d, want %d", e.Key, e.Flags, wantFlags)
		}
	}
	if want := []string{"messages/msg2", "messages/msg3", "msg1"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("?recurse keys %v, want %v", keys, want)
	}

	body, code, err = c.curl("GET", u("/v1/kv/msg1"), nil)
	if err != nil || code != 200 {
		t.Fatalf("GET msg1: %d %q %v", code, body, err)
	}
	if one, err := decodeKV(body); err != nil || len(one) != 1 || one[0].Key != "msg1" || one[0].Value != b64(values["msg1"]) {
		t.Errorf("GET msg1: %+v %v, want one entry with value %s", one, err, b64(values["msg1"]))
	}

	checks := []struct {
		name, method, path string
		code               int
		want               string
	}{
		{"raw", "GET", "/v1/kv/msg1?raw", 200, values["msg1"]},
		{"delete msg2", "DELETE", "/v1/kv/messages/msg2", 200, "true"},
		{"msg2 gone", "GET", "/v1/kv/messages/msg2", 404, anyBody},
		{"msg3 kept", "GET", "/v1/kv/messages/msg3?raw", 200, values["messages/msg3"]},
		{"delete all", "DELETE", "/v1/kv/?recurse", 200, "true"},
		{"all gone", "GET", "/v1/kv/?recurse", 404, anyBody},
		{"msg1 gone", "GET", "/v1/kv/msg1", 404, anyBody},
	}
	for _, s := range checks {
		if err := c.want(s.method, u(s.path), "", s.code, s.want); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
	}
}
