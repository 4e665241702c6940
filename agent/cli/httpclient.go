package cli

import (
	"flag"
	"fmt"

	"github.com/hashicorp/consul/api"
)

// httpFlags are the HTTP API options every client command takes.
type httpFlags struct {
	addr  string
	token string
	dc    string
	stale bool
}

func (h *httpFlags) register(fs *flag.FlagSet, env *Env) {
	def := env.Getenv("CONSUL_HTTP_ADDR")
	if def == "" {
		def = "http://127.0.0.1:8500"
	}
	fs.StringVar(&h.addr, "http-addr", def, "The `address` and port of the Consul HTTP agent. Can also be "+
		"specified via the CONSUL_HTTP_ADDR environment variable.")
	fs.StringVar(&h.token, "token", env.Getenv("CONSUL_HTTP_TOKEN"), "ACL token (accepted, ignored: no ACLs).")
	fs.StringVar(&h.dc, "datacenter", "", "Name of the datacenter to query.")
	fs.BoolVar(&h.stale, "stale", false, "Permit any Consul server (non-leader) to respond to this request.")
}

func (h *httpFlags) client() (*api.Client, error) {
	c, err := api.NewClient(&api.Config{Address: h.addr, Datacenter: h.dc})
	if err != nil {
		return nil, fmt.Errorf("Error connecting to Consul agent: %w", err)
	}
	return c, nil
}
