package modules

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.setup", New: func() Module { return setupModule{} }})
}

type setupArgs struct {
	GatherSubset  []string `arg:"gather_subset"`
	GatherTimeout int      `arg:"gather_timeout"`
	Filter        []string `arg:"filter"`
	FactPath      string   `arg:"fact_path"`
}

type setupModule struct{}

// Run implements setup: one shell round trip (factScript), parsed into
// Ansible's fact names under "ansible_facts". gather_subset is accepted but
// everything gossible knows is always gathered; filter is honoured.
func (setupModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a setupArgs
	if err := decodeArgs("setup", raw, &a); err != nil {
		return failed(err.Error()), nil
	}
	res, err := run(ctx, env, factScript, nil)
	if err != nil {
		return nil, err
	}
	facts, ifKeys, err := parseFacts(string(res.Stdout))
	if err != nil {
		return nil, fmt.Errorf("gather facts: %w", err)
	}
	subsets, err := factSubsets(a.GatherSubset)
	if err != nil {
		return failed(err.Error()), nil
	}
	out := map[string]any{}
	for k, v := range facts {
		if c := factCategory(k, ifKeys); c != "" && !subsets[c] {
			continue
		}
		key := k
		if k != "gather_subset" && k != "module_setup" && !strings.HasPrefix(k, "facter_") {
			key = "ansible_" + k
		}
		if len(a.Filter) > 0 && !matchAny(a.Filter, key) {
			continue
		}
		out[key] = v
	}
	subset := a.GatherSubset
	if len(subset) == 0 {
		subset = []string{"all"}
	}
	// These two are facts like the others: a filter can leave them out.
	for k, v := range map[string]any{"gather_subset": toAnyList(subset), "module_setup": true} {
		if len(a.Filter) == 0 || matchAny(a.Filter, k) {
			out[k] = v
		}
	}
	return Result{"changed": false, "ansible_facts": out, "_ansible_verbose_override": true}, nil
}

// factSubsets reads gather_subset as Ansible does: "all" (the default),
// "min", named subsets, and "!name" exclusions ("!all" leaves only min).
// It returns the optional groups gossible gathers that stay in.
func factSubsets(given []string) (map[string]bool, error) {
	groups := []string{"hardware", "network", "virtual"}
	known := map[string]bool{"all": true, "min": true, "hardware": true, "network": true, "virtual": true,
		"facter": true, "ohai": true}
	var pos, neg []string
	for _, g := range given {
		g = strings.TrimSpace(g)
		name := strings.TrimPrefix(g, "!")
		if !known[name] {
			return nil, fmt.Errorf("Bad subset '%s' given to Ansible. gather_subset options allowed: all, all_ipv4_addresses, all_ipv6_addresses, apparmor, architecture, caps, chroot,cmdline, date_time, default_ipv4, default_ipv6, devices, distribution, distribution_major_version, distribution_release, distribution_version, dns, effective_group_ids, effective_user_id, env, facter, fips, hardware, interfaces, is_chroot, iscsi, kernel, local, lsb, machine, machine_id, mounts, network, ohai, os_family, pkg_mgr, platform, processor, processor_cores, processor_count, python, python_version, real_user_id, selinux, service_mgr, ssh_host_key_dsa_public, ssh_host_key_ecdsa_public, ssh_host_key_ed25519_public, ssh_host_key_rsa_public, ssh_host_pub_keys, ssh_pub_keys, system, system_capabilities, system_capabilities_enforced, user, user_dir, user_gecos, user_gid, user_id, user_shell, user_uid, virtual, virtualization_role, virtualization_type", name)
		}
		if strings.HasPrefix(g, "!") {
			neg = append(neg, name)
		} else {
			pos = append(pos, name)
		}
	}
	in := map[string]bool{}
	if len(pos) == 0 {
		pos = []string{"all"}
		for _, n := range neg {
			if n == "all" {
				pos = nil
			}
		}
	}
	for _, p := range pos {
		if p == "all" {
			for _, g := range groups {
				in[g] = true
			}
		} else {
			in[p] = true
		}
	}
	// "!all" only drops the implicit "all": named subsets stay in.
	for _, n := range neg {
		delete(in, n)
	}
	return in, nil
}

// factCategory names the optional subset a fact belongs to ("" = min).
func factCategory(k string, ifKeys map[string]bool) string {
	switch {
	case strings.HasPrefix(k, "processor"), strings.HasPrefix(k, "mem"), strings.HasPrefix(k, "swap"),
		strings.HasPrefix(k, "bios_"), strings.HasPrefix(k, "board_"), strings.HasPrefix(k, "chassis_"),
		strings.HasPrefix(k, "product_"), k == "system_vendor", k == "uptime_seconds":
		return "hardware"
	case strings.HasPrefix(k, "virtualization_"):
		return "virtual"
	case k == "interfaces", strings.HasPrefix(k, "default_ipv"), strings.HasPrefix(k, "all_ipv"),
		strings.HasPrefix(k, "facter_ipaddress"), ifKeys[k]:
		return "network"
	}
	return ""
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
		if ok, _ := path.Match(p, strings.TrimPrefix(s, "ansible_")); ok {
			return true
		}
	}
	return false
}

func toAnyList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// sections splits the script's output at "@@@name" lines; env comes last
// and is NUL-separated, so it is taken whole.
func sections(out string) map[string]string {
	secs := map[string]string{}
	if i := strings.Index(out, "@@@env\n"); i >= 0 {
		secs["env"] = out[i+len("@@@env\n"):]
		out = out[:i]
	}
	name := ""
	var b strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if n, ok := strings.CutPrefix(l, "@@@"); ok {
			secs[name] = b.String()
			name = n
			b.Reset()
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	secs[name] = b.String()
	return secs
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseFacts turns the script's output into facts without the ansible_ prefix.
func parseFacts(out string) (map[string]any, map[string]bool, error) {
	sec := sections(out)
	f := map[string]any{}
	un := nonEmptyLines(sec["uname"])
	if len(un) < 5 {
		return nil, nil, fmt.Errorf("unexpected uname output %q", sec["uname"])
	}
	f["system"], f["kernel"], f["kernel_version"], f["machine"] = un[0], un[1], un[2], un[3]
	f["architecture"] = un[3]
	if un[3] == "i686" || un[3] == "i586" || un[3] == "i486" {
		f["architecture"] = "i386"
	}
	node := un[4]
	f["nodename"] = node
	f["hostname"], _, _ = strings.Cut(node, ".")
	fqdn := node
	if fs := strings.Fields(sec["fqdn"]); len(fs) >= 2 {
		// Python's getfqdn: the first of name and aliases with a dot, else the name.
		fqdn = fs[1]
		for _, n := range fs[1:] {
			if strings.Contains(n, ".") {
				fqdn = n
				break
			}
		}
	}
	f["fqdn"] = fqdn
	_, dom, _ := strings.Cut(fqdn, ".")
	f["domain"] = dom
	f["userspace_bits"] = strings.TrimSpace(sec["bits"])
	distroFacts(f, sec)
	userFacts(f, sec)
	cpuFacts(f, sec)
	memFacts(f, sec)
	dateFacts(f, sec)
	ifKeys := netFacts(f, sec)
	f["pkg_mgr"] = pkgMgr(f, nonEmptyLines(sec["pkg"]))
	f["service_mgr"] = serviceMgr(nonEmptyLines(sec["svc"]))
	f["machine_id"] = strings.TrimSpace(sec["machine_id"])
	if up := strings.Fields(sec["uptime"]); len(up) > 0 {
		if v, err := strconv.ParseFloat(up[0], 64); err == nil {
			f["uptime_seconds"] = int(v)
		}
	}
	f["dns"] = dnsFacts(sec["resolv"])
	extraFacts(f, sec)
	envm := map[string]any{}
	for _, kv := range strings.Split(sec["env"], "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" && !strings.Contains(k, "\n") {
			envm[k] = v
		}
	}
	f["env"] = envm
	f["local"] = map[string]any{}
	return f, ifKeys, nil
}

func dnsFacts(resolv string) map[string]any {
	d := map[string]any{}
	var ns []any
	for _, l := range nonEmptyLines(resolv) {
		fs := strings.Fields(l)
		if len(fs) < 2 || strings.HasPrefix(fs[0], "#") || strings.HasPrefix(fs[0], ";") {
			continue
		}
		switch fs[0] {
		case "nameserver":
			ns = append(ns, fs[1])
		case "domain":
			d["domain"] = fs[1]
		case "search":
			d["search"] = toAnyList(fs[1:])
		}
	}
	if ns != nil {
		d["nameservers"] = ns
	}
	return d
}

func userFacts(f map[string]any, sec map[string]string) {
	ids := nonEmptyLines(sec["ids"])
	if len(ids) >= 5 {
		f["user_id"] = ids[0]
		f["user_uid"] = atoiOr(ids[1], -1)
		f["user_gid"] = atoiOr(ids[2], -1)
		f["effective_user_id"] = atoiOr(ids[1], -1)
		f["effective_group_id"] = atoiOr(ids[2], -1)
		f["real_user_id"] = atoiOr(ids[3], -1)
		f["real_group_id"] = atoiOr(ids[4], -1)
	}
	if pw := strings.Split(strings.TrimSpace(sec["passwd"]), ":"); len(pw) >= 7 {
		f["user_gecos"], f["user_dir"], f["user_shell"] = pw[4], pw[5], pw[6]
	}
}

func cpuFacts(f map[string]any, sec map[string]string) {
	var procs []any
	phys := map[string]bool{}
	cores, siblings, count := 0, 0, 0
	idx, vendor := "", ""
	for _, l := range nonEmptyLines(sec["cpuinfo"]) {
		k, v, _ := strings.Cut(l, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "processor", "Processor":
			count++
			idx = v
		case "vendor_id", "CPU implementer":
			vendor = v
		case "model name":
			procs = append(procs, idx, vendor, v)
		case "physical id":
			phys[v] = true
		case "cpu cores":
			cores = atoiOr(v, 0)
		case "siblings":
			siblings = atoiOr(v, 0)
		}
	}
	if procs == nil {
		procs = []any{}
	}
	f["processor"] = procs
	sockets := len(phys)
	if sockets == 0 {
		// No topology (ARM, some VMs): Ansible counts processors as sockets.
		sockets, cores, siblings = count, 1, 1
	}
	if cores == 0 {
		cores = 1
	}
	if siblings == 0 {
		siblings = cores
	}
	threads := siblings / cores
	if threads == 0 {
		threads = 1
	}
	f["processor_count"] = sockets
	f["processor_cores"] = cores
	f["processor_threads_per_core"] = threads
	f["processor_vcpus"] = threads * cores * sockets
	f["processor_nproc"] = atoiOr(strings.TrimSpace(sec["nproc"]), count)
}

func memFacts(f map[string]any, sec map[string]string) {
	m := map[string]int{}
	for _, l := range nonEmptyLines(sec["meminfo"]) {
		k, v, _ := strings.Cut(l, ":")
		fs := strings.Fields(v)
		if len(fs) > 0 {
			m[k] = atoiOr(fs[0], 0) / 1024
		}
	}
	f["memtotal_mb"] = m["MemTotal"]
	f["memfree_mb"] = m["MemFree"]
	f["swaptotal_mb"] = m["SwapTotal"]
	f["swapfree_mb"] = m["SwapFree"]
	nocacheFree := m["MemFree"] + m["Buffers"] + m["Cached"]
	f["memory_mb"] = map[string]any{
		"real":    map[string]any{"total": m["MemTotal"], "free": m["MemFree"], "used": m["MemTotal"] - m["MemFree"]},
		"nocache": map[string]any{"free": nocacheFree, "used": m["MemTotal"] - nocacheFree},
		"swap":    map[string]any{"total": m["SwapTotal"], "free": m["SwapFree"], "used": m["SwapTotal"] - m["SwapFree"], "cached": m["SwapCached"]},
	}
}

func dateFacts(f map[string]any, sec map[string]string) {
	l := nonEmptyLines(sec["date"])
	if len(l) < 2 {
		return
	}
	p := strings.Split(l[0], "|")
	u := strings.Split(l[1], "|")
	if len(p) < 13 || len(u) < 2 {
		return
	}
	micro := p[6]
	if len(micro) > 6 {
		micro = micro[:6]
	}
	umicro := u[1]
	if len(umicro) > 6 {
		umicro = umicro[:6]
	}
	dst := p[11]
	if len(l) >= 4 {
		// Python's time.tzname[1]: the zone's summer name (northern July),
		// the standard one where there is no daylight saving.
		dst = l[3]
	}
	f["date_time"] = map[string]any{
		"year": p[0], "month": p[1], "day": p[2], "hour": p[3], "minute": p[4], "second": p[5],
		"epoch": p[7], "epoch_int": p[7], "weekday": p[8], "weekday_number": p[9], "weeknumber": p[10],
		"tz": p[11], "tz_dst": dst, "tz_offset": p[12],
		"date":                p[0] + "-" + p[1] + "-" + p[2],
		"time":                p[3] + ":" + p[4] + ":" + p[5],
		"iso8601":             u[0] + "Z",
		"iso8601_micro":       u[0] + "." + umicro + "Z",
		"iso8601_basic":       p[0] + p[1] + p[2] + "T" + p[3] + p[4] + p[5] + micro,
		"iso8601_basic_short": p[0] + p[1] + p[2] + "T" + p[3] + p[4] + p[5],
	}
}

func pkgMgr(f map[string]any, found []string) string {
	names := map[string]string{"/usr/bin/rpm-ostree": "atomic_container", "/usr/bin/yum": "yum", "/usr/bin/dnf": "dnf",
		"/usr/bin/apt-get": "apt", "/usr/bin/zypper": "zypper", "/usr/sbin/urpmi": "urpmi", "/usr/bin/pacman": "pacman",
		"/bin/opkg": "opkg", "/sbin/apk": "apk", "/usr/bin/emerge": "portage", "/usr/bin/xbps-install": "xbps", "/usr/bin/swupd": "swupd"}
	has := map[string]bool{}
	mgr := "unknown"
	for _, p := range found {
		has[p] = true
		if n, ok := names[p]; ok {
			mgr = n // the last match wins, as in Ansible's list walk
		}
	}
	switch f["os_family"] {
	case "RedHat":
		if has["ostree"] {
			return "atomic_container"
		}
		major := atoiOr(fmt.Sprint(f["distribution_major_version"]), 0)
		switch f["distribution"] {
		case "Fedora":
			if major < 23 && has["/usr/bin/yum"] {
				return "yum"
			}
			return "dnf"
		default:
			if major >= 8 && has["/usr/bin/dnf"] {
				return "dnf"
			}
			if has["/usr/bin/yum"] {
				return "yum"
			}
		}
	case "Debian":
		return "apt"
	}
	return mgr
}

func serviceMgr(lines []string) string {
	comm, init := "", ""
	flags := map[string]bool{}
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "comm="); ok {
			comm = strings.TrimSpace(v)
		} else if v, ok := strings.CutPrefix(l, "init="); ok {
			init = v
		} else {
			flags[l] = true
		}
	}
	p1 := comm
	if p1 == "" && init != "" {
		p1 = init
	}
	p1 = strings.TrimSpace(path.Base(p1))
	if p1 == "." || p1 == "init" || strings.HasSuffix(p1, "sh") {
		p1 = ""
	}
	if p1 != "" {
		m := map[string]string{"procd": "openwrt_init", "runit-init": "runit", "svscan": "svc", "openrc-init": "openrc"}
		if n, ok := m[p1]; ok {
			return n
		}
		return p1
	}
	switch {
	case flags["systemctl"] && flags["systemd-canary"]:
		return "systemd"
	case flags["upstart"]:
		return "upstart"
	case flags["openrc"]:
		return "openrc"
	case flags["systemctl"] && path.Base(init) == "systemd":
		return "systemd"
	case flags["initd"]:
		return "sysvinit"
	}
	return "service"
}
