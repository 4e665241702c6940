package retry

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that records a Fatalf instead of stopping.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = format
	if len(args) > 1 {
		r.msg = args[1].(error).Error()
	}
}

func TestUntil(t *testing.T) {
	tests := []struct {
		name     string
		okAfter  int // tries before fn succeeds; -1 never
		wantFail string
	}{
		{name: "first try", okAfter: 0},
		{name: "third try", okAfter: 2},
		{name: "never", okAfter: -1, wantFail: "still failing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			n := 0
			done := make(chan struct{})
			go func() {
				defer close(done)
				Until(r, 100*time.Millisecond, func() error {
					n++
					if tc.okAfter >= 0 && n > tc.okAfter {
						return nil
					}
					if tc.okAfter < 0 && r.msg != "" {
						return nil // Fatalf recorded: let the loop end
					}
					return errors.New("still failing")
				})
			}()
			<-done
			if tc.wantFail == "" && (r.msg != "" || n != tc.okAfter+1) {
				t.Errorf("failed %q after %d tries", r.msg, n)
			}
			if tc.wantFail != "" && !strings.Contains(r.msg, tc.wantFail) {
				t.Errorf("failure %q, want it to name %q", r.msg, tc.wantFail)
			}
		})
	}
}
