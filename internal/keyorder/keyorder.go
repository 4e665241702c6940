// Package keyorder remembers the order in which a mapping's keys were written
// (in YAML, JSON or by a template), so that output matches Ansible's, whose
// dicts keep insertion order, while the rest of gossible keeps plain Go maps.
//
// Record is called where a map[string]any is made from ordered input; Keys
// gives the keys back in that order (keys added later follow, sorted). A map
// that was never recorded yields sorted keys; so does a copy, until CopyOrder
// gives it its source's order. The registry refers to maps weakly: a recorded
// map is collected as usual, and its entry goes with it, so templating that
// copies maps on every evaluation does not grow memory.
package keyorder

import (
	"reflect"
	"runtime"
	"sort"
	"sync"
	"unsafe"
	"weak"
)

type entry struct {
	w    weak.Pointer[byte] // the map; nil once collected, so a reused address is told apart
	keys []string
}

var (
	mu  sync.RWMutex
	reg = map[uintptr]entry{}
)

// header is the address of m's runtime object, which is m's identity.
func header(m map[string]any) *byte {
	return (*byte)(reflect.ValueOf(m).UnsafePointer())
}

// Record notes keys as m's order. Keys not in m are ignored by Keys.
func Record(m map[string]any, keys []string) {
	if m == nil || len(keys) < 2 {
		return
	}
	k := append([]string(nil), keys...)
	p := header(m)
	addr := uintptr(unsafe.Pointer(p))
	w := weak.Make(p)
	mu.Lock()
	old, had := reg[addr]
	reg[addr] = entry{w: w, keys: k}
	mu.Unlock()
	if !had || old.w != w {
		runtime.AddCleanup(p, forget, cleanupArg{addr: addr, w: w})
	}
}

type cleanupArg struct {
	addr uintptr
	w    weak.Pointer[byte]
}

// forget drops a collected map's entry, unless a new map at the same address
// has been recorded since.
func forget(a cleanupArg) {
	mu.Lock()
	if e, ok := reg[a.addr]; ok && e.w == a.w {
		delete(reg, a.addr)
	}
	mu.Unlock()
}

// lookup returns the keys recorded for m, if any.
func lookup(m map[string]any) ([]string, bool) {
	if m == nil {
		return nil, false
	}
	p := header(m)
	mu.RLock()
	e, ok := reg[uintptr(unsafe.Pointer(p))]
	mu.RUnlock()
	if !ok || e.w.Value() != p {
		return nil, false
	}
	return e.keys, true
}

// CopyOrder records for dst the order recorded for src (when dst is a copy
// or a transformation of src with the same keys).
func CopyOrder(dst, src map[string]any) {
	if dst == nil || src == nil {
		return
	}
	if keys, ok := lookup(src); ok {
		Record(dst, keys)
	}
}

// Keys returns m's keys: the recorded ones still present, in their order,
// then any others, sorted.
func Keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	recorded, _ := lookup(m)
	seen := make(map[string]bool, len(recorded))
	for _, k := range recorded {
		if _, present := m[k]; present && !seen[k] {
			out = append(out, k)
			seen[k] = true
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
