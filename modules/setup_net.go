package modules

import (
	"net"
	"strconv"
	"strings"
)

// ifTypes maps /sys/class/net/*/type to Ansible's interface types.
var ifTypes = map[string]string{"1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"}

// netFacts builds interfaces, ansible_<iface>, all_ipv4/6_addresses and
// default_ipv4/6 the way Ansible's LinuxNetwork collector does, plus
// facter_ipaddress_<iface> for playbooks written against facter.
// It returns the per-interface fact names.
func netFacts(f map[string]any, sec map[string]string) map[string]bool {
	ifaces := map[string]map[string]any{}
	var order []string
	var cur map[string]any
	for _, l := range nonEmptyLines(sec["net"]) {
		k, v, _ := strings.Cut(l, "=")
		if k == "dev" {
			cur = map[string]any{"device": v}
			ifaces[v] = cur
			order = append(order, v)
			continue
		}
		if cur == nil {
			continue
		}
		switch k {
		case "address":
			if v != "" && v != "00:00:00:00:00:00" {
				cur["macaddress"] = v
			}
		case "mtu":
			cur["mtu"] = atoiOr(v, 0)
		case "operstate":
			cur["active"] = v != "down"
		case "type":
			t, ok := ifTypes[v]
			if !ok {
				t = "unknown"
			}
			if cur["type"] != "bridge" {
				cur["type"] = t
			}
		case "flags":
			n, _ := strconv.ParseInt(strings.TrimPrefix(v, "0x"), 16, 64)
			cur["promisc"] = n&0x100 != 0
		case "speed":
			if n, err := strconv.Atoi(v); err == nil {
				cur["speed"] = n
			}
		case "pciid":
			cur["pciid"] = v
		case "module":
			cur["module"] = v
		case "bridge":
			cur["type"] = "bridge"
			cur["interfaces"] = []any{}
		case "bridge_id":
			cur["id"] = v
		case "stp":
			cur["stp"] = v == "1"
		case "brif":
			l, _ := cur["interfaces"].([]any)
			cur["interfaces"] = append(l, v)
		}
	}
	def4 := routeFacts(sec["route4"], "8.8.8.8")
	def6 := routeFacts(sec["route6"], "2404:6800:400a:800::1012")
	all4, all6 := []any{}, []any{}
	for _, l := range nonEmptyLines(sec["addr"]) {
		// "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\ ..."
		fs := strings.Fields(strings.ReplaceAll(l, "\\", " "))
		if len(fs) < 4 {
			continue
		}
		dev := strings.TrimSuffix(fs[1], ":")
		if i := strings.IndexByte(dev, '@'); i >= 0 {
			dev = dev[:i]
		}
		ifc := ifaces[dev]
		if ifc == nil {
			continue
		}
		switch fs[2] {
		case "inet":
			addr, plen, ok := strings.Cut(fs[3], "/")
			if !ok {
				plen = "32"
			}
			brd := ""
			if len(fs) > 5 && fs[4] == "brd" {
				brd = fs[5]
			}
			n, _ := strconv.Atoi(plen)
			mask := net.CIDRMask(n, 32)
			ip := net.ParseIP(addr).To4()
			if ip == nil {
				continue
			}
			entry := map[string]any{"address": addr, "broadcast": brd, "netmask": net.IP(mask).String(),
				"network": ip.Mask(mask).String(), "prefix": plen}
			if _, has := ifc["ipv4"]; !has {
				ifc["ipv4"] = entry
			} else {
				sec, _ := ifc["ipv4_secondaries"].([]any)
				ifc["ipv4_secondaries"] = append(sec, entry)
			}
			if def4["address"] == addr {
				for _, k := range []string{"broadcast", "netmask", "network", "prefix"} {
					def4[k] = entry[k]
				}
				def4["macaddress"] = macOf(ifc)
				def4["mtu"] = ifc["mtu"]
				def4["type"] = typeOf(ifc)
				def4["alias"] = dev
			}
			if !strings.HasPrefix(addr, "127.") {
				all4 = append(all4, addr)
			}
		case "inet6":
			addr, plen, _ := strings.Cut(fs[3], "/")
			scope := ""
			for i := 4; i+1 < len(fs); i++ {
				if fs[i] == "scope" {
					scope = fs[i+1]
					break
				}
			}
			if len(fs) > 5 && fs[4] == "peer" {
				_, plen, _ = strings.Cut(fs[5], "/")
			}
			l, _ := ifc["ipv6"].([]any)
			ifc["ipv6"] = append(l, map[string]any{"address": addr, "prefix": plen, "scope": scope})
			if def6["address"] == addr {
				def6["prefix"], def6["scope"] = plen, scope
				def6["macaddress"] = macOf(ifc)
				def6["mtu"] = ifc["mtu"]
				def6["type"] = typeOf(ifc)
			}
			if addr != "::1" {
				all6 = append(all6, addr)
			}
		}
	}
	names := []any{}
	ifKeys := map[string]bool{}
	for _, dev := range order {
		key := strings.ReplaceAll(dev, ":", "_")
		names = append(names, key)
		key = strings.ReplaceAll(key, "-", "_")
		f[key] = ifaces[dev]
		ifKeys[key] = true
		if v4, ok := ifaces[dev]["ipv4"].(map[string]any); ok {
			f["facter_ipaddress_"+key] = v4["address"]
		}
	}
	f["interfaces"] = names
	f["all_ipv4_addresses"] = all4
	f["all_ipv6_addresses"] = all6
	f["default_ipv4"] = def4
	f["default_ipv6"] = def6
	if a, ok := def4["address"]; ok {
		f["facter_ipaddress"] = a
	}
	return ifKeys
}

func macOf(ifc map[string]any) any {
	if m, ok := ifc["macaddress"]; ok {
		return m
	}
	return "unknown"
}

func typeOf(ifc map[string]any) any {
	if t, ok := ifc["type"]; ok {
		return t
	}
	return "unknown"
}

// routeFacts reads "ip route get" output: interface, source address, gateway.
func routeFacts(out, target string) map[string]any {
	d := map[string]any{}
	ls := nonEmptyLines(out)
	if len(ls) == 0 {
		return d
	}
	w := strings.Fields(ls[0])
	if len(w) == 0 || w[0] != target {
		return d
	}
	for i := 0; i+1 < len(w); i++ {
		switch w[i] {
		case "dev":
			d["interface"] = w[i+1]
		case "src":
			d["address"] = w[i+1]
		case "via":
			if w[i+1] != target {
				d["gateway"] = w[i+1]
			}
		}
	}
	return d
}
