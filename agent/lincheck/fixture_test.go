package lincheck

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// recorded is one operation of a history saved in testdata; a null
// Return marks a pending operation.
type recorded struct {
	Client int
	Call   int64
	Return *int64
	In     Input
	Out    Output
}

func loadHistory(t *testing.T, path string) []porcupine.Operation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var recs []recorded
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	var ops []porcupine.Operation
	for _, r := range recs {
		ret := int64(Pending)
		if r.Return != nil {
			ret = *r.Return
		}
		ops = append(ops, porcupine.Operation{ClientId: r.Client, Input: r.In, Call: r.Call, Output: r.Out, Return: ret})
	}
	return ops
}

// TestRecordedViolation replays the history of one key from a real run
// of TestLinearizableKV (agent at bc2c318): the leader acknowledged
// put(kill-0) and was stopped; a consistent read sent afterwards to the
// new leader returned the value before kill-0. Without that one read the
// rest of the history is linearizable.
func TestRecordedViolation(t *testing.T) {
	ops := loadHistory(t, "testdata/stale-read-after-failover.json")
	tests := []struct {
		name string
		ops  []porcupine.Operation
		want porcupine.CheckResult
	}{
		{name: "as recorded", ops: ops, want: porcupine.Illegal},
		{name: "without the stale read", want: porcupine.Ok, ops: func() []porcupine.Operation {
			var keep []porcupine.Operation
			for _, op := range ops {
				out := op.Output.(Output)
				if op.ClientId == 10 && out.Found && out.Value == "c4-65" {
					continue
				}
				keep = append(keep, op)
			}
			if len(keep) != len(ops)-1 {
				t.Fatalf("removed %d reads, want 1", len(ops)-len(keep))
			}
			return keep
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := Check(tt.ops, 10*time.Second)
			if res != tt.want {
				t.Fatalf("check: %s, want %s", res, tt.want)
			}
		})
	}
}
