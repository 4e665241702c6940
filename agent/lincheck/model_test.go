package lincheck

import (
	"os"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// op builds one operation of a hand-written history.
func op(client int, in Input, call, ret int64, out Output) porcupine.Operation {
	if out.Unknown {
		ret = Pending
	}
	return porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret}
}

func put(k, v string) Input { return Input{Kind: Put, Key: k, Value: v} }
func get(k string) Input    { return Input{Kind: Get, Key: k} }
func del(k string) Input    { return Input{Kind: Delete, Key: k} }
func cas(k, exp, v string) Input {
	return Input{Kind: CAS, Key: k, Expect: exp, Value: v}
}
func casNew(k, v string) Input { return Input{Kind: CAS, Key: k, ExpectAbsent: true, Value: v} }

var (
	done    = Output{}
	unknown = Output{Unknown: true}
	absent  = Output{}
	ok      = Output{OK: true}
	refused = Output{OK: false}
)

func read(v string) Output { return Output{Found: true, Value: v} }

// TestModel feeds hand-written histories, linearizable and not, so the
// checker is known to reject what it must.
func TestModel(t *testing.T) {
	tests := []struct {
		name string
		ops  []porcupine.Operation
		want porcupine.CheckResult
	}{
		{name: "sequential put then get", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, get("x"), 20, 30, read("a")),
		}},
		{name: "stale read after newer write", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(0, put("x", "b"), 20, 30, done),
			op(1, get("x"), 40, 50, read("a")),
		}},
		{name: "acknowledged write lost", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, get("x"), 20, 30, absent),
		}},
		{name: "reads go back in time", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 100, done),
			op(1, get("x"), 10, 20, read("a")),
			op(2, get("x"), 30, 40, absent),
		}},
		{name: "concurrent read sees either", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 100, done),
			op(1, get("x"), 10, 20, absent),
			op(2, get("x"), 30, 40, read("a")),
		}},
		{name: "pending put takes effect late", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 0, unknown),
			op(1, get("x"), 10, 20, absent),
			op(1, get("x"), 30, 40, read("a")),
		}},
		{name: "pending put never seen", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 0, unknown),
			op(1, get("x"), 10, 20, absent),
		}},
		{name: "cas refused on matching value", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, cas("x", "a", "b"), 20, 30, refused),
		}},
		{name: "cas applied on stale value", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(0, put("x", "b"), 20, 30, done),
			op(1, cas("x", "a", "c"), 40, 50, ok),
		}},
		{name: "two creates both win", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, casNew("x", "a"), 0, 10, ok),
			op(1, casNew("x", "b"), 0, 10, ok),
		}},
		{name: "one create wins", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, casNew("x", "a"), 0, 10, ok),
			op(1, casNew("x", "b"), 0, 10, refused),
			op(2, get("x"), 20, 30, read("a")),
		}},
		{name: "pending cas applies", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, cas("x", "a", "b"), 20, 0, unknown),
			op(2, get("x"), 40, 50, read("b")),
		}},
		{name: "pending cas cannot apply on mismatch", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, cas("x", "z", "b"), 20, 0, unknown),
			op(2, get("x"), 40, 50, read("b")),
		}},
		{name: "delete then read", want: porcupine.Illegal, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(0, del("x"), 20, 30, done),
			op(1, get("x"), 40, 50, read("a")),
		}},
		{name: "keys are independent", want: porcupine.Ok, ops: []porcupine.Operation{
			op(0, put("x", "a"), 0, 10, done),
			op(1, put("y", "b"), 20, 30, done),
			op(2, get("x"), 40, 50, read("a")),
			op(2, get("y"), 60, 70, read("b")),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := Check(tt.ops, 5*time.Second)
			if res != tt.want {
				t.Fatalf("check: %s, want %s", res, tt.want)
			}
		})
	}
}

// TestVisualization writes the HTML view of a rejected history.
func TestVisualization(t *testing.T) {
	ops := []porcupine.Operation{
		op(0, put("x", "a"), 0, 10, done),
		op(1, get("x"), 20, 30, absent),
	}
	res, info := Check(ops, 5*time.Second)
	if res != porcupine.Illegal {
		t.Fatalf("check: %s, want Illegal", res)
	}
	path, err := WriteVisualization(info, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 100 {
		t.Fatalf("visualization %s is only %d bytes", path, len(b))
	}
}
