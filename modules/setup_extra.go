package modules

import (
	"sort"
	"strconv"
	"strings"
)

// extraFacts fills the cheaper of Ansible's remaining fact groups:
// virtualization (containers and kvm only), loadavg, kernel command line,
// SSH host keys, AppArmor/SELinux/FIPS status, chroot, and DMI strings.
func extraFacts(f map[string]any, sec map[string]string) {
	virtFacts(f, nonEmptyLines(sec["virt"]))
	if l := strings.Fields(sec["loadavg"]); len(l) >= 3 {
		la := map[string]any{}
		for i, k := range []string{"1m", "5m", "15m"} {
			v, _ := strconv.ParseFloat(l[i], 64)
			la[k] = v
		}
		f["loadavg"] = la
	}
	cmd, proc := map[string]any{}, map[string]any{}
	for _, w := range strings.Fields(sec["cmdline"]) {
		k, v, ok := strings.Cut(w, "=")
		var val any = true
		if ok {
			val = v
		}
		cmd[k] = val
		if prev, seen := proc[k]; seen {
			// proc_cmdline keeps repeated keys as a list.
			if l, isList := prev.([]any); isList {
				proc[k] = append(l, val)
			} else {
				proc[k] = []any{prev, val}
			}
		} else {
			proc[k] = val
		}
	}
	f["cmdline"], f["proc_cmdline"] = cmd, proc
	for _, l := range nonEmptyLines(sec["sshkeys"]) {
		fs := strings.Fields(l)
		if len(fs) < 3 {
			continue
		}
		kind := strings.TrimSuffix(strings.TrimPrefix(fs[0], "ssh_host_"), "_key.pub")
		f["ssh_host_key_"+kind+"_public"] = fs[2]
		f["ssh_host_key_"+kind+"_public_keytype"] = fs[1]
	}
	secFlags := nonEmptyLines(sec["security"])
	f["apparmor"] = map[string]any{"status": "disabled"}
	f["selinux"] = map[string]any{"status": "disabled"}
	f["fips"] = false
	f["is_chroot"] = false
	for _, l := range secFlags {
		switch {
		case l == "apparmor":
			f["apparmor"] = map[string]any{"status": "enabled"}
		case strings.HasPrefix(l, "selinux="):
			mode := "permissive"
			if strings.TrimPrefix(l, "selinux=") == "1" {
				mode = "enforcing"
			}
			f["selinux"] = map[string]any{"status": "enabled", "mode": mode}
		case l == "fips=1":
			f["fips"] = true
		case l == "chroot":
			f["is_chroot"] = true
		}
	}
	dmi := parseKV(sec["dmi"])
	for _, k := range []string{"bios_date", "bios_vendor", "bios_version", "board_asset_tag", "board_name", "board_serial",
		"board_vendor", "board_version", "chassis_asset_tag", "chassis_serial", "chassis_vendor", "chassis_version",
		"product_name", "product_serial", "product_uuid", "product_version"} {
		v, ok := dmi[k]
		if !ok {
			v = "NA"
		}
		f[k] = v
	}
	if v, ok := dmi["sys_vendor"]; ok {
		f["system_vendor"] = v
	} else {
		f["system_vendor"] = "NA"
	}
}

func virtFacts(f map[string]any, lines []string) {
	guest, host := map[string]bool{}, map[string]bool{}
	typ := ""
	set := func(t string) {
		if typ == "" {
			typ = t
		}
	}
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "cgroup="):
			switch {
			case strings.Contains(l, "/docker"):
				guest["docker"] = true
				set("docker")
			case strings.Contains(l, "/lxc/"):
				guest["lxc"] = true
				set("lxc")
			case strings.Contains(l, "containerd"):
				guest["containerd"] = true
				set("containerd")
			}
		case strings.HasPrefix(l, "env1:container="):
			v := strings.TrimPrefix(l, "env1:container=")
			if v == "lxc" || v == "podman" {
				guest[v] = true
				set(v)
			}
			guest["container"] = true
			set("container")
		case strings.HasPrefix(l, "systemd="):
			v := strings.TrimPrefix(l, "systemd=")
			guest[v] = true
			guest["container"] = true
			set(v)
		case l == "dockerenv":
			guest["docker"] = true
			set("docker")
		}
	}
	for _, c := range []string{"docker", "lxc", "podman", "containerd"} {
		if guest[c] {
			guest["container"] = true
		}
	}
	role := ""
	if typ != "" {
		role = "guest"
	}
	for _, l := range lines {
		if l == "devkvm" {
			host["kvm"] = true
			if typ == "" {
				typ, role = "kvm", "host"
			}
		}
	}
	if typ == "" {
		typ, role = "NA", "NA"
	}
	f["virtualization_type"], f["virtualization_role"] = typ, role
	f["virtualization_tech_guest"] = setList(guest)
	f["virtualization_tech_host"] = setList(host)
}

func setList(m map[string]bool) []any {
	var l []string
	for k := range m {
		l = append(l, k)
	}
	sort.Strings(l)
	return toAnyList(l)
}
