package executor

import "testing"

func TestShouldRun(t *testing.T) {
	tests := []struct {
		name       string
		tags       []string
		only, skip []string
		want       bool
	}{
		{name: "untagged runs by default", only: []string{"all"}, want: true},
		{name: "never skipped by default", tags: []string{"never"}, only: []string{"all"}, want: false},
		{name: "never runs when asked", tags: []string{"never", "x"}, only: []string{"x"}, want: true},
		{name: "tag selected", tags: []string{"consul"}, only: []string{"consul"}, want: true},
		{name: "other tag", tags: []string{"a"}, only: []string{"consul"}, want: false},
		{name: "always runs with tags", tags: []string{"always"}, only: []string{"consul"}, want: true},
		{name: "untagged selection", only: []string{"untagged"}, want: true},
		{name: "untagged selection skips tagged", tags: []string{"a"}, only: []string{"untagged"}, want: false},
		{name: "tagged selection", tags: []string{"a"}, only: []string{"tagged"}, want: true},
		{name: "skip tag", tags: []string{"a"}, only: []string{"all"}, skip: []string{"a"}, want: false},
		{name: "skip all keeps always", tags: []string{"always"}, only: []string{"all"}, skip: []string{"all"}, want: true},
		{name: "skip always", tags: []string{"always"}, only: []string{"all"}, skip: []string{"always"}, want: false},
		{name: "skip tagged", tags: []string{"a"}, only: []string{"all"}, skip: []string{"tagged"}, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := shouldRun(tc.tags, tc.only, tc.skip); got != tc.want {
				t.Errorf("shouldRun(%v, %v, %v) = %v, want %v", tc.tags, tc.only, tc.skip, got, tc.want)
			}
		})
	}
}
