package lab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeDocker puts testdata/fakedocker first in PATH and returns its answer
// dir; network is the JSON `docker network inspect` prints ("" = none).
func fakeDocker(t *testing.T, network, ids string) string {
	t.Helper()
	bin, err := filepath.Abs("testdata/fakedocker")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("FAKE_DOCKER_DIR", dir)
	if network != "" {
		if err := os.WriteFile(filepath.Join(dir, "network.json"), []byte(network), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ids"), []byte(ids), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func calls(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "calls"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

const labNetworkJSON = `{"Name":"gossible-serv-disc","Internal":true,"Labels":{"gossible.lab":"gossible-serv-disc","gossible.lab.state":"STATE"},"IPAM":{"Config":[{"Subnet":"10.100.194.0/24","Gateway":"10.100.194.1"}]}}`

func TestDownRemovesOneContainerAtATime(t *testing.T) {
	state := t.TempDir()
	for _, f := range []string{keyFileName, keyFileName + ".pub", knownHostsFileName} {
		if err := os.WriteFile(filepath.Join(state, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dir := fakeDocker(t, strings.Replace(labNetworkJSON, "STATE", state, 1), "aaa\nbbb\nccc\n")
	if err := Down(context.Background(), Options{}); err != nil {
		t.Fatal(err)
	}
	got := calls(t, dir)
	want := []string{
		"network inspect --format {{json .}} gossible-serv-disc",
		"ps -aq --filter label=gossible.lab=gossible-serv-disc",
		"rm -f -v aaa", "rm -f -v bbb", "rm -f -v ccc",
		"network rm gossible-serv-disc",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("docker calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatalf("state dir left behind: %v", err)
	}
}

func TestDownCases(t *testing.T) {
	tests := []struct {
		name    string
		network string
		ids     string
		wantErr string
		want    []string
	}{
		{name: "nothing there", want: []string{
			"network inspect --format {{json .}} gossible-serv-disc",
			"ps -aq --filter label=gossible.lab=gossible-serv-disc"}},
		{name: "foreign network is left alone",
			network: `{"Name":"gossible-serv-disc","Internal":true,"Labels":{}}`, ids: "aaa\n",
			wantErr: "not created by the lab",
			want:    []string{"network inspect --format {{json .}} gossible-serv-disc"}},
		{name: "containers without network", ids: "aaa\n", want: []string{
			"network inspect --format {{json .}} gossible-serv-disc",
			"ps -aq --filter label=gossible.lab=gossible-serv-disc",
			"rm -f -v aaa"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fakeDocker(t, tt.network, tt.ids)
			err := Down(context.Background(), Options{})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if got := calls(t, dir); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("docker calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestExecChecksNetworkFirst: nothing runs in a container once the network
// is no longer the lab's internal one.
func TestExecChecksNetworkFirst(t *testing.T) {
	tests := []struct {
		name, network string
	}{
		{"network gone", ""},
		{"network not internal", strings.Replace(labNetworkJSON, `"Internal":true`, `"Internal":false`, 1)},
		{"other subnet", strings.Replace(labNetworkJSON, "10.100.194.0/24", "10.1.2.0/24", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fakeDocker(t, tt.network, "")
			h := Host{Name: "serv-disc-01", IP: "10.100.194.201", Container: "gossible-serv-disc-01"}
			c := &Cluster{Network: "gossible-serv-disc", Subnet: DefaultSubnet, Hosts: []Host{h}, Controller: &h}
			_, err := c.Output(context.Background(), h.Container, "true")
			if !errors.Is(err, ErrNotInternal) {
				t.Fatalf("err = %v, want ErrNotInternal", err)
			}
			for _, call := range calls(t, dir) {
				if strings.HasPrefix(call, "exec") {
					t.Fatalf("docker exec ran despite a bad network: %q", call)
				}
			}
		})
	}
}
