package executor

import (
	"slices"
	"testing"

	"github.com/gossible/gossible/inventory"
)

func TestOrderHosts(t *testing.T) {
	var in []*inventory.Host
	for _, n := range []string{"b", "c", "a"} {
		in = append(in, &inventory.Host{Name: n})
	}
	tests := []struct {
		name  string
		order string
		want  []string
	}{
		{name: "default", order: "", want: []string{"b", "c", "a"}},
		{name: "inventory", order: "inventory", want: []string{"b", "c", "a"}},
		{name: "reverse_inventory", order: "reverse_inventory", want: []string{"a", "c", "b"}},
		{name: "sorted", order: "sorted", want: []string{"a", "b", "c"}},
		{name: "reverse_sorted", order: "reverse_sorted", want: []string{"c", "b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, h := range orderHosts(in, tt.order) {
				got = append(got, h.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("orderHosts(%q) = %v, want %v", tt.order, got, tt.want)
			}
		})
	}
	t.Run("shuffle keeps every host", func(t *testing.T) {
		var got []string
		for _, h := range orderHosts(in, "shuffle") {
			got = append(got, h.Name)
		}
		slices.Sort(got)
		if !slices.Equal(got, []string{"a", "b", "c"}) {
			t.Errorf("shuffle = %v, want a permutation of a b c", got)
		}
		if in[0].Name != "b" {
			t.Errorf("shuffle changed its input")
		}
	})
}
