package inventory

import (
	"reflect"
	"testing"
)

func TestAddHostGroupBy(t *testing.T) {
	inv := newInventory()
	web := inv.addGroup("web")
	if _, err := inv.addHost("w1", web, 0, ""); err != nil {
		t.Fatal(err)
	}
	inv.reconcile()
	steps := []struct {
		name    string
		do      func() (Change, error)
		changed bool
	}{
		{"new host", func() (Change, error) { return inv.AddHost("n1", nil, nil) }, true},
		{"same host", func() (Change, error) { return inv.AddHost("n1", nil, nil) }, false},
		{"new group", func() (Change, error) { return inv.AddHost("n1", []string{"g"}, nil) }, true},
		{"new var", func() (Change, error) { return inv.AddHost("n1", []string{"g"}, map[string]any{"v": 1}) }, true},
		{"same var", func() (Change, error) { return inv.AddHost("n1", []string{"g"}, map[string]any{"v": 1}) }, false},
		{"group_by", func() (Change, error) { return inv.GroupBy("w1", "k", []string{"all"}) }, true},
		{"group_by again", func() (Change, error) { return inv.GroupBy("w1", "k", []string{"all"}) }, false},
		{"new parent", func() (Change, error) { return inv.GroupBy("w1", "k", []string{"p"}) }, true},
	}
	for _, s := range steps {
		c, err := s.do()
		if err != nil || c.Changed != s.changed {
			t.Errorf("%s: changed %v, %v; want %v", s.name, c.Changed, err, s.changed)
		}
	}
	if got, want := inv.GroupNames("w1"), []string{"k", "p", "web"}; !reflect.DeepEqual(got, want) {
		t.Errorf("w1 groups %v, want %v", got, want)
	}
	if got, want := inv.Groups()["all"], []string{"n1", "w1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all %v, want %v", got, want)
	}
	if _, err := inv.AddHost("", nil, nil); err == nil || err.Error() != "Invalid empty host name provided: " {
		t.Errorf("empty name: %v", err)
	}
}
