package playbook

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var listCases = []struct {
	name     string
	playbook string // relative to the package directory
	args     []string
	opts     ListOptions
	inv      string // -i for ansible-playbook; "" means "localhost,"
}{
	{name: "consul tasks", playbook: "../consul.yml", args: []string{"--list-tasks"}, opts: ListOptions{Tasks: true}},
	{name: "consul tags", playbook: "../consul.yml", args: []string{"--list-tags"}, opts: ListOptions{Tags: true}},
	{name: "consul tasks tagged", playbook: "../consul.yml", args: []string{"--list-tasks", "--tags", "consul"},
		opts: ListOptions{Tasks: true, OnlyTags: []string{"consul"}}},
	{name: "consul tasks skipped", playbook: "../consul.yml", args: []string{"--list-tasks", "--skip-tags", "consul"},
		opts: ListOptions{Tasks: true, SkipTags: []string{"consul"}}},
	{name: "listing both", playbook: "testdata/valid/listing.yml", args: []string{"--list-tasks", "--list-tags"},
		opts: ListOptions{Tasks: true, Tags: true}},
	{name: "listing never", playbook: "testdata/valid/listing.yml", args: []string{"--list-tasks", "--tags", "never", "--skip-tags", "x"},
		opts: ListOptions{Tasks: true, OnlyTags: []string{"never"}, SkipTags: []string{"x"}}},
	{name: "listing tagged", playbook: "testdata/valid/listing.yml", args: []string{"--list-tasks", "--tags", "tagged"},
		opts: ListOptions{Tasks: true, OnlyTags: []string{"tagged"}}},
	{name: "listing skip all", playbook: "testdata/valid/listing.yml", args: []string{"--list-tasks", "--list-tags", "--skip-tags", "all"},
		opts: ListOptions{Tasks: true, Tags: true, SkipTags: []string{"all"}}},
	{name: "listing hosts", playbook: "testdata/valid/listing.yml", args: []string{"--list-hosts", "--list-tasks"},
		opts: ListOptions{Tasks: true, Hosts: testHosts("a", "c")}, inv: "a,c,"},
	{name: "listing hosts only", playbook: "../consul.yml", args: []string{"--list-hosts"},
		opts: ListOptions{Hosts: testHosts("consul")}, inv: "consul,"},
	{name: "listing untagged", playbook: "testdata/valid/listing.yml", args: []string{"--list-tasks", "--tags", "untagged"},
		opts: ListOptions{Tasks: true, OnlyTags: []string{"untagged"}}},
}

// testHosts is a stand-in inventory: the given hosts, matched by name
// against the patterns of a ",", ":" separated host pattern.
func testHosts(inventory ...string) func(string) ([]string, error) {
	return func(pattern string) ([]string, error) {
		want := map[string]bool{}
		for _, p := range strings.FieldsFunc(pattern, func(r rune) bool { return r == ',' || r == ':' }) {
			want[p] = true
		}
		var out []string
		for _, h := range inventory {
			if want[h] {
				out = append(out, h)
			}
		}
		return out, nil
	}
}

func goldenName(name string) string {
	return "listing/" + strings.ReplaceAll(name, " ", "_") + ".txt"
}

// TestFormatListing compares FormatListing with output recorded from
// ansible-playbook 2.14 (TestFormatListingLive re-checks it live).
func TestFormatListing(t *testing.T) {
	for _, tt := range listCases {
		t.Run(tt.name, func(t *testing.T) {
			pb, err := Load(tt.playbook, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			got, err := FormatListing(pb, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, goldenName(tt.name), got)
		})
	}
}

// TestFormatListingLive runs the real ansible-playbook on the same files.
func TestFormatListingLive(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs ansible-playbook once per case")
	}
	bin, err := exec.LookPath("ansible-playbook")
	if err != nil {
		t.Skip("needs ansible-playbook (apt-get install ansible): not installed")
	}
	for _, tt := range listCases {
		t.Run(tt.name, func(t *testing.T) {
			pb, err := Load(tt.playbook, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			dir, file := filepath.Split(tt.playbook)
			inv := tt.inv
			if inv == "" {
				inv = "localhost,"
			}
			cmd := exec.Command(bin, append([]string{"-i", inv}, append(tt.args, file)...)...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "ANSIBLE_NOCOLOR=1", "ANSIBLE_LOCALHOST_WARNING=0")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("ansible-playbook: %v", err)
			}
			pb.Path = file // ansible was given the name relative to its directory
			got, err := FormatListing(pb, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(out) {
				t.Errorf("differs from ansible-playbook:\n--- gossible ---\n%s\n--- ansible ---\n%s", got, out)
			}
		})
	}
}

func TestListWrappers(t *testing.T) {
	pb, err := Load("../consul.yml", testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, golden, got string
	}{
		{name: "tasks", golden: "consul_tasks", got: ListTasks(pb, nil, nil)},
		{name: "tags", golden: "consul_tags", got: ListTags(pb, nil, nil)},
		{name: "tasks tagged", golden: "consul_tasks_tagged", got: ListTasks(pb, []string{"consul"}, nil)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "listing", tt.golden+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", tt.got, want)
			}
		})
	}
}

func TestShouldRun(t *testing.T) {
	tests := []struct {
		name             string
		tags, only, skip []string
		want             bool
	}{
		{name: "untagged default", want: true},
		{name: "never default", tags: []string{"never"}, want: false},
		{name: "never asked", tags: []string{"never", "x"}, only: []string{"x"}, want: true},
		{name: "always with other tags", tags: []string{"always"}, only: []string{"x"}, want: true},
		{name: "always skipped by all", tags: []string{"always"}, skip: []string{"all"}, want: true},
		{name: "always skipped by name", tags: []string{"always"}, skip: []string{"all", "always"}, want: false},
		{name: "tagged selects tagged", tags: []string{"a"}, only: []string{"tagged"}, want: true},
		{name: "tagged skips untagged", only: []string{"tagged"}, want: false},
		{name: "untagged selects untagged", only: []string{"untagged"}, want: true},
		{name: "skip by name", tags: []string{"a", "b"}, skip: []string{"b"}, want: false},
		{name: "skip tagged", tags: []string{"a"}, skip: []string{"tagged"}, want: false},
		{name: "other tag", tags: []string{"a"}, only: []string{"b"}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShouldRun(tt.tags, tt.only, tt.skip); got != tt.want {
				t.Errorf("ShouldRun(%v, %v, %v) = %v, want %v", tt.tags, tt.only, tt.skip, got, tt.want)
			}
		})
	}
}
