package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// kvAPI is one system's HTTP/JSON key/value API. get reads linearizably
// and checks the value has the expected size.
type kvAPI interface {
	put(ctx context.Context, node int, key string, val []byte) error
	get(ctx context.Context, node int, key string, size int) error
}

// httpDo sends one request and returns the body of a 200 answer.
func httpDo(ctx context.Context, hc *http.Client, method, url, ctype string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %s", method, url, resp.Status, strings.TrimSpace(string(b)))
	}
	return b, nil
}

// consulKV is the agent's /v1/kv API; reads use ?consistent.
type consulKV struct {
	hc   *http.Client
	urls []string
}

func (c *consulKV) put(ctx context.Context, node int, key string, val []byte) error {
	b, err := httpDo(ctx, c.hc, "PUT", c.urls[node]+"/v1/kv/"+key, "", val)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(b)) != "true" {
		return fmt.Errorf("put %s answered %q", key, b)
	}
	return nil
}

func (c *consulKV) get(ctx context.Context, node int, key string, size int) error {
	b, err := httpDo(ctx, c.hc, "GET", c.urls[node]+"/v1/kv/"+key+"?consistent", "", nil)
	if err != nil {
		return err
	}
	var ents []struct{ Value []byte }
	if err := json.Unmarshal(b, &ents); err != nil {
		return fmt.Errorf("decode get %s: %w", key, err)
	}
	if len(ents) != 1 || len(ents[0].Value) != size {
		return fmt.Errorf("get %s: want one %d-byte value, got %d entries", key, size, len(ents))
	}
	return nil
}

// etcdKV is etcd's v3 gRPC gateway (JSON, base64 keys and values); a
// range without serializable is a linearizable read.
type etcdKV struct {
	hc   *http.Client
	urls []string
}

func (e *etcdKV) put(ctx context.Context, node int, key string, val []byte) error {
	body, _ := json.Marshal(map[string][]byte{"key": []byte(key), "value": val})
	_, err := httpDo(ctx, e.hc, "POST", e.urls[node]+"/v3/kv/put", "application/json", body)
	return err
}

func (e *etcdKV) get(ctx context.Context, node int, key string, size int) error {
	body, _ := json.Marshal(map[string][]byte{"key": []byte(key)})
	b, err := httpDo(ctx, e.hc, "POST", e.urls[node]+"/v3/kv/range", "application/json", body)
	if err != nil {
		return err
	}
	var out struct{ Kvs []struct{ Value []byte } }
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("decode range %s: %w", key, err)
	}
	if len(out.Kvs) != 1 || len(out.Kvs[0].Value) != size {
		return fmt.Errorf("range %s: want one %d-byte value, got %d kvs", key, size, len(out.Kvs))
	}
	return nil
}

// startConsul starts three agent servers expecting each other, with the
// binary's production timers and fsync on.
func startConsul(o *options, work string) (*cluster, error) {
	c := &cluster{}
	for i := 1; i <= 3; i++ {
		ip := fmt.Sprintf("%s%d", o.consulNet, i)
		dir := filepath.Join(work, fmt.Sprintf("consul%d", i))
		args := []string{"agent", "-server", "-bootstrap-expect", "3", "-node", fmt.Sprintf("c%d", i),
			"-bind", ip, "-client", ip, "-data-dir", dir, "-retry-interval", "500ms", "-log-level", "warn"}
		for j := 1; j <= 3; j++ {
			if j != i {
				args = append(args, "-retry-join", fmt.Sprintf("%s%d", o.consulNet, j))
			}
		}
		p, err := startProc(fmt.Sprintf("consul%d", i), o.consulBin, args, dir+".log")
		if err != nil {
			c.stop()
			return nil, err
		}
		c.procs = append(c.procs, p)
		c.endpoints = append(c.endpoints, "http://"+ip+":8500")
	}
	return c, nil
}

// startEtcd starts a three-member etcd cluster with default (fsyncing)
// durability.
func startEtcd(o *options, work string) (*cluster, error) {
	var initial []string
	for i := 1; i <= 3; i++ {
		initial = append(initial, fmt.Sprintf("e%d=http://%s%d:2380", i, o.etcdNet, i))
	}
	c := &cluster{}
	for i := 1; i <= 3; i++ {
		ip := fmt.Sprintf("%s%d", o.etcdNet, i)
		dir := filepath.Join(work, fmt.Sprintf("etcd%d", i))
		client, peer := "http://"+ip+":2379", "http://"+ip+":2380"
		args := []string{"--name", fmt.Sprintf("e%d", i), "--data-dir", dir,
			"--listen-client-urls", client, "--advertise-client-urls", client,
			"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
			"--initial-cluster", strings.Join(initial, ","), "--initial-cluster-state", "new",
			"--initial-cluster-token", "kvbench"}
		p, err := startProc(fmt.Sprintf("etcd%d", i), o.etcdBin, args, dir+".log")
		if err != nil {
			c.stop()
			return nil, err
		}
		c.procs = append(c.procs, p)
		c.endpoints = append(c.endpoints, client)
	}
	return c, nil
}

// buildConsul builds ./cmd/consul into the work dir.
func buildConsul(work string) (string, error) {
	bin := filepath.Join(work, "consul")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/consul")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build ./cmd/consul (run from the module root): %w", err)
	}
	return bin, nil
}
