// Package retry is the tests' way to wait: poll a condition until it holds
// or a timeout passes, instead of sleeping a guessed time. Cluster tests
// that start agents on loopback use it to wait for joins, leaders and
// replicated writes.
package retry

import (
	"testing"
	"time"
)

// Interval is the pause between two tries.
const Interval = 20 * time.Millisecond

// Until calls fn until it returns nil; when timeout passes first, it fails
// the test with fn's last error.
func Until(t testing.TB, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %v: %v", timeout, err)
		}
		time.Sleep(Interval)
	}
}
