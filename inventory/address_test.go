package inventory

import (
	"reflect"
	"strings"
	"testing"
)

func TestExpandHostPattern(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantHosts []string
		wantPort  int
		wantErr   string
	}{
		{"plain", "web1", []string{"web1"}, 0, ""},
		{"port", "web1:2222", []string{"web1"}, 2222, ""},
		{"ipv4 port", "192.0.2.1:22", []string{"192.0.2.1"}, 22, ""},
		{"ipv6 bare", "fe80::1", []string{"fe80::1"}, 0, ""},
		{"ipv6 bracketed port", "[2001:db8::1]:2222", []string{"2001:db8::1"}, 2222, ""},
		{"numeric range", "web[1:3]", []string{"web1", "web2", "web3"}, 0, ""},
		{"zero padded", "www[01:03].ex", []string{"www01.ex", "www02.ex", "www03.ex"}, 0, ""},
		{"stride", "h[01:07:3]", []string{"h01", "h04", "h07"}, 0, ""},
		{"alpha", "node-[a:c]", []string{"node-a", "node-b", "node-c"}, 0, ""},
		{"upper alpha", "h[A:C]", []string{"hA", "hB", "hC"}, 0, ""},
		{"two ranges", "r[1:2]-s[1:2]", []string{"r1-s1", "r1-s2", "r2-s1", "r2-s2"}, 0, ""},
		{"range with port", "db[09:10]:5432", []string{"db09", "db10"}, 5432, ""},
		{"chapter", "10.100.194.20[2:3]", []string{"10.100.194.202", "10.100.194.203"}, 0, ""},
		{"ipv6 hex range", "2001:db8::[a:b]", []string{"2001:db8::a", "2001:db8::b"}, 0, ""},
		{"empty begin", "h[:2]", []string{"h0", "h1", "h2"}, 0, ""},
		{"reversed", "10.0.0.[3:1]", nil, 0, "begin is after end"},
		{"reversed alpha", "h[c:a]", nil, 0, "begin <= end"},
		{"no end", "h[1:]", nil, 0, "must specify end value"},
		{"unequal widths", "h[01:100]", nil, 0, "equal-length"},
		{"no colon", "h[1]", nil, 0, "begin:end"},
		{"zero step", "h[1:3:0]", nil, 0, "invalid step"},
		{"mixed", "h[a:5]", nil, 0, "mixes letters"},
		{"ipv6 brackets without port", "[::1]", nil, 0, "must specify end value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hosts, port, err := expandHostPattern(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("expandHostPattern(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("expandHostPattern(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(hosts, tt.wantHosts) || port != tt.wantPort {
				t.Errorf("expandHostPattern(%q) = %q, %d; want %q, %d", tt.in, hosts, port, tt.wantHosts, tt.wantPort)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ranges   bool
		wantHost string
		wantPort int
		wantErr  bool
	}{
		{"hostname", "example.com", false, "example.com", 0, false},
		{"hostname port", "example.com:80", false, "example.com", 80, false},
		{"ipv6", "::1", false, "::1", 0, false},
		{"ipv6 port", "[::1]:22", false, "::1", 22, false},
		{"trailing dash", "bad-", false, "", 0, true},
		{"underscore label", "under_score", false, "under_score", 0, false},
		{"unicode", "hôte", false, "hôte", 0, false},
		{"range refused", "web[1:2]", false, "", 0, true},
		{"range allowed", "web[1:2]", true, "web[1:2]", 0, false},
		{"space", "a b", false, "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port, err := parseAddress(tt.in, tt.ranges)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseAddress(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if host != tt.wantHost || port != tt.wantPort {
				t.Errorf("parseAddress(%q) = %q, %d; want %q, %d", tt.in, host, port, tt.wantHost, tt.wantPort)
			}
		})
	}
}
