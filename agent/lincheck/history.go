package lincheck

import (
	"fmt"
	"math"
	"os"
	"sync"
	"time"

	"github.com/anishathalye/porcupine"
)

// Pending is the return time of an operation whose outcome is unknown: it
// may take effect at any point after its call, or never.
const Pending = math.MaxInt64

// Recorder collects a concurrent history; safe for many goroutines.
type Recorder struct {
	start time.Time
	mu    sync.Mutex
	ops   []porcupine.Operation
}

// NewRecorder starts the history's clock.
func NewRecorder() *Recorder { return &Recorder{start: time.Now()} }

// Now is the history's monotonic clock in nanoseconds; take it right
// before sending a request.
func (r *Recorder) Now() int64 { return int64(time.Since(r.start)) }

// Record adds one finished operation; its return time is taken now, or
// Pending when the outcome is unknown.
func (r *Recorder) Record(client int, in Input, call int64, out Output) {
	ret := r.Now()
	if out.Unknown {
		ret = Pending
	}
	r.mu.Lock()
	r.ops = append(r.ops, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
	r.mu.Unlock()
}

// Operations returns a copy of the history so far.
func (r *Recorder) Operations() []porcupine.Operation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]porcupine.Operation(nil), r.ops...)
}

// Check runs porcupine on a history with a time limit; Unknown means the
// limit passed before an answer.
func Check(ops []porcupine.Operation, timeout time.Duration) (porcupine.CheckResult, porcupine.LinearizationInfo) {
	return porcupine.CheckOperationsVerbose(Model, ops, timeout)
}

// WriteVisualization writes porcupine's HTML view of a checked history to
// a new file in dir (the system temp dir when empty) and returns its path.
func WriteVisualization(info porcupine.LinearizationInfo, dir string) (string, error) {
	f, err := os.CreateTemp(dir, "lincheck-*.html")
	if err != nil {
		return "", fmt.Errorf("create visualization file: %w", err)
	}
	defer f.Close()
	if err := porcupine.Visualize(Model, info, f); err != nil {
		return "", fmt.Errorf("write visualization: %w", err)
	}
	return f.Name(), nil
}
