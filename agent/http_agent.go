package agent

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"

	"github.com/hashicorp/serf/serf"
)

// memberJSON is a member as Consul's /v1/agent/members shows it.
type memberJSON struct {
	Name        string
	Addr        string
	Port        uint16
	Tags        map[string]string
	Status      int
	ProtocolMin uint8
	ProtocolMax uint8
	ProtocolCur uint8
	DelegateMin uint8
	DelegateMax uint8
	DelegateCur uint8
}

func toMemberJSON(m serf.Member) memberJSON {
	return memberJSON{Name: m.Name, Addr: m.Addr.String(), Port: m.Port, Tags: m.Tags, Status: int(m.Status),
		ProtocolMin: m.ProtocolMin, ProtocolMax: m.ProtocolMax, ProtocolCur: m.ProtocolCur,
		DelegateMin: m.DelegateMin, DelegateMax: m.DelegateMax, DelegateCur: m.DelegateCur}
}

func (a *Agent) agentMembers(w http.ResponseWriter, r *http.Request) (any, error) {
	if _, ok := r.URL.Query()["wan"]; ok {
		return nil, badRequest("WAN members are not supported by this agent")
	}
	out := []memberJSON{}
	for _, m := range a.serf.Members() {
		out = append(out, toMemberJSON(m))
	}
	return out, nil
}

func (a *Agent) agentSelf(w http.ResponseWriter, r *http.Request) (any, error) {
	c := a.config
	local := a.serf.LocalMember()
	return map[string]any{
		"Config": map[string]any{
			"Datacenter": c.Datacenter, "PrimaryDatacenter": c.Datacenter, "NodeName": c.NodeName,
			"NodeID": local.Tags["id"], "Server": c.Server, "Revision": Revision, "Version": Version,
			"BuildDate": "",
		},
		"DebugConfig": map[string]any{
			"Bootstrap": c.Bootstrap, "BootstrapExpect": c.BootstrapExpect, "BindAddr": c.BindAddr,
			"AdvertiseAddrLAN": c.AdvertiseAddr, "ClientAddrs": []string{c.ClientAddr}, "DataDir": c.DataDir,
			"DevMode": c.DevMode, "HTTPPort": c.Ports.HTTP, "DNSPort": c.Ports.DNS, "SerfPortLAN": c.Ports.SerfLAN,
			"SerfPortWAN": c.Ports.SerfWAN, "ServerPort": c.Ports.Server, "RetryJoinLAN": c.RetryJoin,
			"KVMaxValueSize": c.KVMaxValueSize, "LogLevel": strings.ToUpper(c.LogLevel), "UIDir": c.UIDir,
		},
		"Member": toMemberJSON(local),
		"Stats":  a.Stats(),
		"Meta":   map[string]string{},
	}, nil
}

// Stats are the sections `consul info` prints.
func (a *Agent) Stats() map[string]map[string]string {
	c := a.config
	members := a.serf.Members()
	failed, left := 0, 0
	for _, m := range members {
		switch m.Status {
		case serf.StatusFailed:
			failed++
		case serf.StatusLeft:
			left++
		}
	}
	out := map[string]map[string]string{
		"agent": {"check_monitors": "0", "check_ttls": "0", "checks": "0", "services": "0"},
		"build": {"version": Version, "revision": Revision, "prerelease": ""},
		"runtime": {"os": runtime.GOOS, "arch": runtime.GOARCH, "version": runtime.Version(),
			"goroutines": strconv.Itoa(runtime.NumGoroutine()), "max_procs": strconv.Itoa(runtime.GOMAXPROCS(0)),
			"cpu_count": strconv.Itoa(runtime.NumCPU())},
		"serf_lan": {"members": strconv.Itoa(len(members)), "failed": strconv.Itoa(failed),
			"left": strconv.Itoa(left), "health_score": strconv.Itoa(a.serf.Memberlist().GetHealthScore()),
			"encrypted": strconv.FormatBool(a.serf.EncryptionEnabled())},
		"consul": {"server": strconv.FormatBool(c.Server), "known_servers": strconv.Itoa(len(a.servers()))},
	}
	if s := a.server; s != nil {
		leaderAddr, _ := s.raft.LeaderWithID()
		out["consul"]["leader"] = strconv.FormatBool(s.isLeader())
		out["consul"]["leader_addr"] = string(leaderAddr)
		out["consul"]["bootstrap"] = strconv.FormatBool(c.Bootstrap)
		out["consul"]["known_datacenters"] = "1"
		out["raft"] = s.raft.Stats()
	}
	return out
}

func (a *Agent) agentJoin(w http.ResponseWriter, r *http.Request) (any, error) {
	if _, ok := r.URL.Query()["wan"]; ok {
		return nil, badRequest("WAN join is not supported by this agent")
	}
	addr := strings.TrimPrefix(r.URL.Path, "/v1/agent/join/")
	if addr == "" {
		return nil, badRequest("Missing address to join")
	}
	if _, err := a.Join([]string{addr}); err != nil {
		return nil, err
	}
	return nil, nil
}

// agentLeave leaves the cluster gracefully, answers, then shuts down.
func (a *Agent) agentLeave(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := a.Leave(); err != nil {
		return nil, err
	}
	w.WriteHeader(http.StatusOK)
	_ = http.NewResponseController(w).Flush()
	go a.Shutdown()
	return nil, nil
}

func (a *Agent) statusLeader(w http.ResponseWriter, r *http.Request) (any, error) {
	var out string
	if err := a.RPC("Status.Leader", &Empty{}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (a *Agent) statusPeers(w http.ResponseWriter, r *http.Request) (any, error) {
	var out []string
	if err := a.RPC("Status.Peers", &Empty{}, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}
