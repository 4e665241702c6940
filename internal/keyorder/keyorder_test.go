package keyorder

import (
	"reflect"
	"runtime"
	"testing"
	"time"
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

func registered() int {
	mu.RLock()
	defer mu.RUnlock()
	return len(reg)
}

// TestCollected checks that recorded maps are not kept alive by the registry and that
// their entries go once they are collected.
func TestCollected(t *testing.T) {
	before := registered()
	for i := 0; i < 1000; i++ {
		m := map[string]any{"b": i, "a": i}
		Record(m, []string{"b", "a"})
	}
	if registered() < before+1000 {
		t.Fatalf("registered %d, want at least %d", registered(), before+1000)
	}
	for i := 0; i < 100 && registered() > before+100; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // cleanups run on their own goroutine
	}
	if n := registered(); n > before+100 {
		t.Fatalf("%d entries left after GC, want the collected maps' entries gone", n-before)
	}
}

// TestReRecord checks that recording a map again replaces its order.
func TestReRecord(t *testing.T) {
	m := map[string]any{"a": 1, "b": 2, "c": 3}
	Record(m, []string{"c", "b", "a"})
	Record(m, []string{"b", "c", "a"})
	if got := Keys(m); !reflect.DeepEqual(got, []string{"b", "c", "a"}) {
		t.Fatalf("Keys = %v", got)
	}
	runtime.KeepAlive(m)
}

func BenchmarkRecordKeys(b *testing.B) {
	src := map[string]any{"src": 1, "dest": 2, "mode": 3}
	Record(src, []string{"src", "dest", "mode"})
	for b.Loop() {
		dst := map[string]any{"src": 1, "dest": 2, "mode": 3}
		CopyOrder(dst, src)
		_ = Keys(dst)
	}
}
