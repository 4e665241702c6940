package agent

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gossible/gossible/internal/retry"
)

func TestDNS(t *testing.T) {
	s := startAgent(t, "dns-srv", bootstrap)
	c := startAgent(t, "dns-cli")
	joinTo(t, c, s)
	retry.Until(t, 5*time.Second, func() error {
		if n := aliveMembers(c); n != 2 {
			return fmt.Errorf("%d members", n)
		}
		return nil
	})
	addr := net.JoinHostPort(c.config.ClientAddr, "8600")
	tests := []struct {
		name  string
		q     string
		qtype uint16
		rcode int
		want  []string
	}{
		{name: "node", q: "dns-srv.node.consul.", qtype: dns.TypeA, want: []string{s.config.BindAddr}},
		{name: "node with dc", q: "DNS-CLI.node.dc1.consul.", qtype: dns.TypeA, want: []string{c.config.BindAddr}},
		{name: "servers", q: "consul.service.consul.", qtype: dns.TypeA, want: []string{s.config.BindAddr}},
		{name: "unknown node", q: "nope.node.consul.", qtype: dns.TypeA, rcode: dns.RcodeNameError},
		{name: "other dc", q: "dns-srv.node.dc2.consul.", qtype: dns.TypeA, rcode: dns.RcodeNameError},
		{name: "outside consul", q: "example.com.", qtype: dns.TypeA, rcode: dns.RcodeRefused},
		{name: "aaaa on existing node", q: "dns-srv.node.consul.", qtype: dns.TypeAAAA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, netw := range []string{"udp", "tcp"} {
				m := new(dns.Msg)
				m.SetQuestion(tt.q, tt.qtype)
				cl := &dns.Client{Net: netw, Timeout: 2 * time.Second}
				r, _, err := cl.Exchange(m, addr)
				if err != nil {
					t.Fatalf("%s: %v", netw, err)
				}
				var got []string
				for _, rr := range r.Answer {
					if a, ok := rr.(*dns.A); ok {
						got = append(got, a.A.String())
					}
				}
				if r.Rcode != tt.rcode || fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
					t.Fatalf("%s: rcode %d answers %v, want %d %v", netw, r.Rcode, got, tt.rcode, tt.want)
				}
			}
		})
	}
}
