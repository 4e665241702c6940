package e2e

import (
	"errors"
	"fmt"
	"time"
)

// eventually calls f until it returns nil or timeout passes, and returns the
// last error with how long it waited: conditions, not sleeps, decide when a
// cluster is ready. A fatal error stops the retries at once.
func eventually(timeout, every time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	start := time.Now()
	for {
		err := f()
		if err == nil {
			return nil
		}
		if errors.As(err, new(fatal)) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not true after %s: %w", time.Since(start).Round(time.Millisecond), err)
		}
		time.Sleep(every)
	}
}

// fatal makes eventually give up: retrying cannot help.
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }
func (f fatal) Unwrap() error { return f.err }
