package modules

import (
	"strings"
)

// distroNames maps os-release IDs to Ansible's distribution names.
var distroNames = map[string]string{
	"debian": "Debian", "ubuntu": "Ubuntu", "centos": "CentOS", "rhel": "RedHat", "fedora": "Fedora",
	"rocky": "Rocky", "almalinux": "AlmaLinux", "ol": "OracleLinux", "amzn": "Amazon", "alpine": "Alpine",
	"arch": "Archlinux", "manjaro": "Manjaro", "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed",
	"sles": "SLES", "linuxmint": "Linux Mint", "kali": "Kali", "raspbian": "Debian", "gentoo": "Gentoo",
	"devuan": "Devuan", "pop": "Pop!_OS", "scientific": "Scientific", "virtuozzo": "Virtuozzo",
}

// osFamilies maps distributions to Ansible's os_family.
var osFamilies = map[string]string{
	"RedHat": "RedHat", "Fedora": "RedHat", "CentOS": "RedHat", "Scientific": "RedHat", "OracleLinux": "RedHat",
	"Amazon": "RedHat", "AlmaLinux": "RedHat", "Rocky": "RedHat", "Virtuozzo": "RedHat",
	"Debian": "Debian", "Ubuntu": "Debian", "Kali": "Debian", "Linux Mint": "Debian", "Devuan": "Debian", "Pop!_OS": "Debian",
	"SLES": "Suse", "openSUSE Leap": "Suse", "openSUSE Tumbleweed": "Suse", "SUSE": "Suse",
	"Archlinux": "Archlinux", "Manjaro": "Archlinux", "Alpine": "Alpine", "Gentoo": "Gentoo",
}

func parseKV(s string) map[string]string {
	m := map[string]string{}
	for _, l := range nonEmptyLines(s) {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		m[strings.TrimSpace(k)] = v
	}
	return m
}

// distroFacts fills distribution*, os_family and lsb from os-release (and
// /etc/debian_version, whose point release Ansible reports on Debian).
func distroFacts(f map[string]any, sec map[string]string) {
	osr := parseKV(sec["osrelease"])
	id := osr["ID"]
	name, ok := distroNames[id]
	if !ok {
		name = osr["NAME"]
		if name == "" {
			name = f["system"].(string)
		}
	}
	version := osr["VERSION_ID"]
	release := osr["VERSION_CODENAME"]
	if name == "Debian" {
		if dv := strings.TrimSpace(sec["debian_version"]); dv != "" && dv[0] >= '0' && dv[0] <= '9' {
			version = dv
		}
		if release == "" {
			// "12 (bookworm)"
			if v := osr["VERSION"]; strings.Contains(v, "(") {
				release = strings.TrimSuffix(v[strings.Index(v, "(")+1:], ")")
			}
		}
	}
	major, minor, _ := strings.Cut(version, ".")
	f["distribution"] = name
	f["distribution_version"] = version
	f["distribution_major_version"] = major
	if minor != "" {
		f["distribution_minor_version"], _, _ = strings.Cut(minor, ".")
	}
	f["distribution_release"] = release
	f["distribution_file_variety"] = name
	fam, ok := osFamilies[name]
	if !ok {
		fam = name
	}
	f["os_family"] = fam
	if ls := nonEmptyLines(sec["lsbcmd"]); len(ls) > 0 {
		// lsb_release -a, which Ansible prefers to /etc/lsb-release.
		l := map[string]any{}
		names := map[string]string{"Distributor ID": "id", "Release": "release", "Codename": "codename", "Description": "description"}
		for _, line := range ls {
			k, v, ok := strings.Cut(line, ":")
			if n, known := names[strings.TrimSpace(k)]; ok && known {
				l[n] = strings.TrimSpace(v)
			}
		}
		if r, ok := l["release"].(string); ok {
			l["major_release"], _, _ = strings.Cut(r, ".")
		}
		f["lsb"] = l
	} else if lsb := parseKV(sec["lsb"]); len(lsb) > 0 {
		l := map[string]any{}
		for k, v := range map[string]string{"DISTRIB_ID": "id", "DISTRIB_RELEASE": "release", "DISTRIB_CODENAME": "codename", "DISTRIB_DESCRIPTION": "description"} {
			if x, ok := lsb[k]; ok {
				l[v] = x
			}
		}
		if r, ok := l["release"].(string); ok {
			l["major_release"], _, _ = strings.Cut(r, ".")
		}
		f["lsb"] = l
	}
}
