package modules

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestSetupDifferential(t *testing.T) {
	want := ansible(t, "setup", nil)["ansible_facts"].(map[string]any)
	env := testEnv(t)
	r := runMod(t, env, "setup", map[string]any{})
	got := normalize(Result{"f": r["ansible_facts"]}, "\x00")["f"].(map[string]any)
	same := []string{"ansible_hostname", "ansible_fqdn", "ansible_nodename", "ansible_domain", "ansible_os_family",
		"ansible_distribution", "ansible_distribution_version", "ansible_distribution_major_version",
		"ansible_distribution_minor_version", "ansible_distribution_release", "ansible_system", "ansible_architecture",
		"ansible_machine", "ansible_kernel", "ansible_kernel_version", "ansible_userspace_bits", "ansible_default_ipv4",
		"ansible_default_ipv6", "ansible_processor_vcpus", "ansible_processor_cores", "ansible_processor_count",
		"ansible_processor_threads_per_core", "ansible_processor_nproc", "ansible_processor", "ansible_pkg_mgr",
		"ansible_service_mgr", "ansible_user_id", "ansible_user_dir", "ansible_user_uid", "ansible_user_gid",
		"ansible_user_shell", "ansible_user_gecos", "ansible_memtotal_mb", "ansible_swaptotal_mb", "ansible_machine_id",
		"ansible_dns", "ansible_effective_user_id", "ansible_real_user_id", "ansible_lsb", "gather_subset", "module_setup",
		"ansible_virtualization_type", "ansible_virtualization_role", "ansible_apparmor", "ansible_fips", "ansible_is_chroot",
		"ansible_cmdline", "ansible_proc_cmdline", "ansible_ssh_host_key_ed25519_public", "ansible_ssh_host_key_rsa_public_keytype",
		"ansible_system_vendor", "ansible_product_name", "ansible_bios_vendor"}
	for _, k := range same {
		if !reflect.DeepEqual(want[k], got[k]) {
			t.Errorf("%s: ansible %v, gossible %v", k, want[k], got[k])
		}
	}
	// veth* interfaces come and go with other processes' containers between
	// the two gatherings, so they are left out of the comparison.
	sets := []string{"ansible_interfaces", "ansible_all_ipv4_addresses", "ansible_all_ipv6_addresses",
		"ansible_virtualization_tech_guest", "ansible_virtualization_tech_host"}
	for _, k := range sets {
		if !reflect.DeepEqual(stable(sorted(want[k])), stable(sorted(got[k]))) {
			t.Errorf("%s: ansible %v, gossible %v", k, want[k], got[k])
		}
	}
	for _, name := range stable(sorted(want["ansible_interfaces"])) {
		k := "ansible_" + name
		w, _ := want[k].(map[string]any)
		g, _ := got[k].(map[string]any)
		for _, f := range []string{"device", "active", "ipv4", "ipv6", "macaddress", "mtu", "type", "promisc", "interfaces", "id", "stp", "pciid", "speed", "module", "ipv4_secondaries"} {
			wv, gv := w[f], g[f]
			if f == "interfaces" {
				wv, gv = stable(sorted(wv)), stable(sorted(gv))
			}
			if !reflect.DeepEqual(wv, gv) {
				t.Errorf("%s.%s: ansible %v, gossible %v", k, f, w[f], g[f])
			}
		}
	}
	wd, gd := want["ansible_date_time"].(map[string]any), got["ansible_date_time"].(map[string]any)
	for k := range wd {
		if _, ok := gd[k]; !ok {
			t.Errorf("ansible_date_time.%s missing", k)
		}
	}
	for _, k := range []string{"date", "tz", "tz_dst", "tz_offset", "year", "weekday", "weeknumber"} {
		if wd[k] != gd[k] {
			t.Errorf("ansible_date_time.%s: ansible %v, gossible %v", k, wd[k], gd[k])
		}
	}
	if we, ge := want["ansible_env"].(map[string]any), got["ansible_env"].(map[string]any); we["HOME"] != ge["HOME"] || ge["PATH"] == nil {
		t.Errorf("ansible_env: HOME %v vs %v, PATH %v", we["HOME"], ge["HOME"], ge["PATH"])
	}
	if dev, ok := got["ansible_default_ipv4"].(map[string]any)["interface"].(string); ok {
		if got["facter_ipaddress_"+dev] != got["ansible_default_ipv4"].(map[string]any)["address"] {
			t.Errorf("facter_ipaddress_%s = %v", dev, got["facter_ipaddress_"+dev])
		}
	}
}

func stable(l []string) []string {
	var out []string
	for _, s := range l {
		if !strings.HasPrefix(s, "veth") {
			out = append(out, s)
		}
	}
	return out
}

func sorted(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		out = append(out, e.(string))
	}
	sort.Strings(out)
	return out
}

func TestSetupFilter(t *testing.T) {
	r := runMod(t, testEnv(t), "setup", map[string]any{"filter": "ansible_distribution*"})
	f := r["ansible_facts"].(map[string]any)
	if _, ok := f["ansible_distribution"]; !ok {
		t.Fatalf("filter dropped ansible_distribution: %v", f)
	}
	if _, ok := f["ansible_hostname"]; ok {
		t.Fatalf("filter kept ansible_hostname")
	}
}

func TestSetupSubsets(t *testing.T) {
	cases := []struct {
		name       string
		subset     any
		has, hasnt []string
		wantErr    bool
	}{
		{name: "all", subset: "all", has: []string{"ansible_processor_vcpus", "ansible_interfaces", "ansible_virtualization_type", "ansible_distribution"}},
		{name: "not all", subset: "!all", has: []string{"ansible_distribution", "ansible_date_time"}, hasnt: []string{"ansible_interfaces", "ansible_memtotal_mb"}},
		{name: "not hardware", subset: []any{"!hardware"}, has: []string{"ansible_interfaces"}, hasnt: []string{"ansible_memtotal_mb"}},
		{name: "only network", subset: []any{"!all", "network"}, has: []string{"ansible_default_ipv4", "ansible_lo"}, hasnt: []string{"ansible_processor"}},
		{name: "bad", subset: "bogus", wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runMod(t, testEnv(t), "setup", map[string]any{"gather_subset": tc.subset})
			if tc.wantErr {
				if r["failed"] != true {
					t.Fatalf("want failure, got %v", r)
				}
				return
			}
			f := r["ansible_facts"].(map[string]any)
			for _, k := range tc.has {
				if _, ok := f[k]; !ok {
					t.Errorf("missing %s", k)
				}
			}
			for _, k := range tc.hasnt {
				if _, ok := f[k]; ok {
					t.Errorf("unexpected %s", k)
				}
			}
		})
	}
}
