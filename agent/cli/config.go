package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gossible/gossible/agent"
)

// fileConfig is the subset of Consul's JSON agent configuration this
// agent understands. Unknown keys are errors, so nothing is silently
// ignored.
type fileConfig struct {
	Datacenter      *string       `json:"datacenter"`
	DataDir         *string       `json:"data_dir"`
	NodeName        *string       `json:"node_name"`
	Server          *bool         `json:"server"`
	Bootstrap       *bool         `json:"bootstrap"`
	BootstrapExpect *int          `json:"bootstrap_expect"`
	BindAddr        *string       `json:"bind_addr"`
	AdvertiseAddr   *string       `json:"advertise_addr"`
	ClientAddr      *string       `json:"client_addr"`
	StartJoin       []string      `json:"start_join"`
	RetryJoin       []string      `json:"retry_join"`
	RetryInterval   *string       `json:"retry_interval"`
	Encrypt         *string       `json:"encrypt"`
	LogLevel        *string       `json:"log_level"`
	UI              *bool         `json:"ui"`
	UIDir           *string       `json:"ui_dir"`
	UIConfig        *uiConfig     `json:"ui_config"`
	Ports           *portsConfig  `json:"ports"`
	Limits          *limitsConfig `json:"limits"`
}

type uiConfig struct {
	Enabled *bool   `json:"enabled"`
	Dir     *string `json:"dir"`
}

type portsConfig struct {
	HTTP    *int `json:"http"`
	DNS     *int `json:"dns"`
	SerfLAN *int `json:"serf_lan"`
	SerfWAN *int `json:"serf_wan"`
	Server  *int `json:"server"`
}

type limitsConfig struct {
	KVMaxValueSize *int64 `json:"kv_max_value_size"`
}

// configFiles expands -config-dir / -config-file sources, in order: a
// directory contributes its *.json files in lexical order.
func configFiles(sources []configSource) ([]string, error) {
	var out []string
	for _, s := range sources {
		if !s.dir {
			out = append(out, s.path)
			continue
		}
		entries, err := os.ReadDir(s.path)
		if err != nil {
			return nil, fmt.Errorf("read config dir %s: %w", s.path, err)
		}
		var names []string
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			switch filepath.Ext(e.Name()) {
			case ".json":
				names = append(names, e.Name())
			case ".hcl":
				return nil, fmt.Errorf("config file %s: HCL is not supported by this agent; write it as JSON", filepath.Join(s.path, e.Name()))
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, filepath.Join(s.path, n))
		}
	}
	return out, nil
}

type configSource struct {
	path string
	dir  bool
}

// applyFile merges one JSON config file into c.
func applyFile(c *agent.Config, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config file: %w", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var f fileConfig
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("config file %s: %s", path, describeJSONError(b, err))
	}
	setS := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setS(&c.Datacenter, f.Datacenter)
	setS(&c.DataDir, f.DataDir)
	setS(&c.NodeName, f.NodeName)
	setS(&c.BindAddr, f.BindAddr)
	setS(&c.AdvertiseAddr, f.AdvertiseAddr)
	setS(&c.ClientAddr, f.ClientAddr)
	setS(&c.EncryptKey, f.Encrypt)
	setS(&c.LogLevel, f.LogLevel)
	setS(&c.UIDir, f.UIDir)
	if f.Server != nil {
		c.Server = *f.Server
	}
	if f.Bootstrap != nil {
		c.Bootstrap = *f.Bootstrap
	}
	if f.BootstrapExpect != nil {
		c.BootstrapExpect = *f.BootstrapExpect
	}
	if f.UI != nil {
		c.UI = *f.UI
	}
	if f.UIConfig != nil {
		if f.UIConfig.Enabled != nil {
			c.UI = *f.UIConfig.Enabled
		}
		setS(&c.UIDir, f.UIConfig.Dir)
	}
	c.StartJoin = append(c.StartJoin, f.StartJoin...)
	c.RetryJoin = append(c.RetryJoin, f.RetryJoin...)
	if f.RetryInterval != nil {
		d, err := time.ParseDuration(*f.RetryInterval)
		if err != nil {
			return fmt.Errorf("config file %s: retry_interval: %w", path, err)
		}
		c.RetryInterval = d
	}
	if p := f.Ports; p != nil {
		for _, x := range []struct {
			dst *int
			v   *int
		}{{&c.Ports.HTTP, p.HTTP}, {&c.Ports.DNS, p.DNS}, {&c.Ports.SerfLAN, p.SerfLAN}, {&c.Ports.SerfWAN, p.SerfWAN}, {&c.Ports.Server, p.Server}} {
			if x.v != nil {
				*x.dst = *x.v
			}
		}
	}
	if f.Limits != nil && f.Limits.KVMaxValueSize != nil {
		c.KVMaxValueSize = *f.Limits.KVMaxValueSize
	}
	return nil
}

// describeJSONError adds line:col to JSON syntax errors and names
// unknown keys with a hint.
func describeJSONError(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &se):
		line, col := lineCol(b, se.Offset)
		return fmt.Sprintf("%d:%d: invalid JSON: %v", line, col, se)
	case asErr(err, &te):
		line, col := lineCol(b, te.Offset)
		return fmt.Sprintf("%d:%d: key %q: expected %s, got JSON %s", line, col, te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		key := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return fmt.Sprintf("unsupported config key %s (supported: datacenter, data_dir, node_name, server, bootstrap, "+
			"bootstrap_expect, bind_addr, advertise_addr, client_addr, start_join, retry_join, retry_interval, encrypt, "+
			"log_level, ui, ui_dir, ui_config, ports, limits.kv_max_value_size)", key)
	}
	return err.Error()
}

func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	pre := b[:off]
	line := bytes.Count(pre, []byte("\n")) + 1
	// The offset is just past the offending byte; report that byte.
	col := max(int(off)-bytes.LastIndexByte(pre, '\n')-1, 1)
	return line, col
}
