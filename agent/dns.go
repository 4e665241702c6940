package agent

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hashicorp/serf/serf"
	"github.com/miekg/dns"
)

// dnsServer answers Consul's node lookups from gossip membership:
// <node>.node[.<dc>].consul and consul.service[.<dc>].consul (the servers).
// Other names under .consul get NXDOMAIN; names outside it are refused
// (no recursors).
type dnsServer struct {
	a       *Agent
	servers []*dns.Server
}

func (a *Agent) startDNS() error {
	c := a.config
	if c.Ports.DNS <= 0 {
		return nil
	}
	addr := net.JoinHostPort(c.ClientAddr, strconv.Itoa(c.Ports.DNS))
	d := &dnsServer{a: a}
	udp, err := net.ListenPacket("udp", addr)
	if err != nil {
		return fmt.Errorf("start DNS listener on %s/udp: %w", addr, err)
	}
	tcp, err := net.Listen("tcp", addr)
	if err != nil {
		udp.Close()
		return fmt.Errorf("start DNS listener on %s/tcp: %w", addr, err)
	}
	h := dns.HandlerFunc(d.serve)
	d.servers = []*dns.Server{{PacketConn: udp, Handler: h}, {Listener: tcp, Handler: h}}
	for _, s := range d.servers {
		a.wg.Add(1)
		go func(s *dns.Server) {
			defer a.wg.Done()
			if err := s.ActivateAndServe(); err != nil && !strings.Contains(err.Error(), "closed") {
				a.logger.Error("dns: server failed", "error", err)
			}
		}(s)
	}
	a.dns = d
	return nil
}

func (d *dnsServer) close() {
	for _, s := range d.servers {
		_ = s.Shutdown()
	}
}

func (d *dnsServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	m.RecursionAvailable = false
	for _, q := range req.Question {
		rcode := d.answer(q, m)
		if rcode != dns.RcodeSuccess {
			m.Rcode = rcode
		}
	}
	_ = w.WriteMsg(m)
}

// answer adds the records for one question and returns the rcode.
func (d *dnsServer) answer(q dns.Question, m *dns.Msg) int {
	name := strings.ToLower(q.Name)
	if !strings.HasSuffix(name, ".consul.") {
		return dns.RcodeRefused
	}
	labels := strings.Split(strings.TrimSuffix(name, ".consul."), ".")
	dc := d.a.config.Datacenter
	if n := len(labels); n >= 3 {
		if labels[n-1] != dc {
			return dns.RcodeNameError
		}
		labels = labels[:n-1]
	}
	if len(labels) != 2 {
		return dns.RcodeNameError
	}
	var ips []net.IP
	switch {
	case labels[1] == "node":
		for _, mem := range d.a.serf.Members() {
			if strings.EqualFold(mem.Name, labels[0]) && mem.Status == serf.StatusAlive {
				ips = append(ips, mem.Addr)
			}
		}
	case labels[1] == "service" && labels[0] == "consul":
		for _, mem := range d.a.serf.Members() {
			if _, ok := serverPart(mem, dc); ok && mem.Status == serf.StatusAlive {
				ips = append(ips, mem.Addr)
			}
		}
	default:
		return dns.RcodeNameError
	}
	if len(ips) == 0 {
		return dns.RcodeNameError
	}
	if q.Qtype != dns.TypeA && q.Qtype != dns.TypeANY {
		return dns.RcodeSuccess // the name exists, with no records of that type
	}
	for _, ip := range ips {
		if ip4 := ip.To4(); ip4 != nil {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: ip4})
		}
	}
	return dns.RcodeSuccess
}
