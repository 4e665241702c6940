// Package keyorder remembers the order in which a mapping's keys were written
// (in YAML, JSON or by a template), so that output matches Ansible's, whose
// dicts keep insertion order, while the rest of gossible keeps plain Go maps.
//
// Record is called where a map[string]any is made from ordered input; Keys
// gives the keys back in that order (keys added later follow, sorted). A map
// that was never recorded yields sorted keys. The registry holds a reference
// to each recorded map, so a map's address is never reused for another map
// while it is registered: this is meant for the bounded data of one run.
package keyorder

import (
	"reflect"
	"sort"
	"sync"
)

type entry struct {
	m    map[string]any // keeps the map alive, so its address stays its own
	keys []string
}

var (
	mu  sync.RWMutex
	reg = map[uintptr]entry{}
)

func id(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }

// Record notes keys as m's order. Keys not in m are ignored by Keys.
func Record(m map[string]any, keys []string) {
	if m == nil || len(keys) < 2 {
		return
	}
	k := append([]string(nil), keys...)
	mu.Lock()
	reg[id(m)] = entry{m: m, keys: k}
	mu.Unlock()
}

// CopyOrder records for dst the order recorded for src (when dst is a copy
// or a transformation of src with the same keys).
func CopyOrder(dst, src map[string]any) {
	if dst == nil || src == nil {
		return
	}
	mu.RLock()
	e, ok := reg[id(src)]
	mu.RUnlock()
	if ok {
		Record(dst, e.keys)
	}
}

// Keys returns m's keys: the recorded ones still present, in their order,
// then any others, sorted.
func Keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	mu.RLock()
	e, ok := reg[id(m)]
	mu.RUnlock()
	seen := make(map[string]bool, len(e.keys))
	if ok {
		for _, k := range e.keys {
			if _, present := m[k]; present && !seen[k] {
				out = append(out, k)
				seen[k] = true
			}
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
