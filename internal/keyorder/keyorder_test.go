package keyorder

import (
	"reflect"
	"testing"
)

func TestKeys(t *testing.T) {
	tests := []struct {
		name   string
		m      map[string]any
		record []string
		add    map[string]any
		want   []string
	}{
		{name: "unrecorded is sorted", m: map[string]any{"b": 1, "a": 2}, want: []string{"a", "b"}},
		{name: "recorded order", m: map[string]any{"src": 1, "dest": 2, "mode": 3}, record: []string{"src", "dest", "mode"}, want: []string{"src", "dest", "mode"}},
		{name: "later keys follow sorted", m: map[string]any{"z": 1, "y": 2}, record: []string{"z", "y"}, add: map[string]any{"c": 0, "b": 0}, want: []string{"z", "y", "b", "c"}},
		{name: "deleted keys vanish", m: map[string]any{"a": 1}, record: []string{"x", "a"}, want: []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.record != nil {
				Record(tc.m, tc.record)
			}
			for k, v := range tc.add {
				tc.m[k] = v
			}
			if got := Keys(tc.m); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Keys = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCopyOrder(t *testing.T) {
	src := map[string]any{"b": 1, "a": 2}
	Record(src, []string{"b", "a"})
	dst := map[string]any{"a": 2, "b": 1}
	CopyOrder(dst, src)
	if got := Keys(dst); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Fatalf("Keys = %v", got)
	}
}
