// Package lincheck checks that the agent's key/value store is linearizable.
//
// It holds a porcupine model of Consul's KV (put, cas, get, delete on
// single keys, partitioned by key) and a Recorder that collects the
// call/return times and results of concurrent client operations. The
// package's test drives a real 3-server in-process cluster through leader
// changes and checks the recorded history against the model.
//
// CAS by ModifyIndex is modelled as CAS by value: every written value is
// unique, so "the key's ModifyIndex is still N" holds exactly when the key
// still holds the value that was read together with N.
package lincheck

import (
	"fmt"
	"sort"

	"github.com/anishathalye/porcupine"
)

// Kind is the operation a client ran.
type Kind int

// The operations the model knows.
const (
	Get    Kind = iota // consistent read of one key
	Put                // unconditional write
	CAS                // write only if the key still holds Expect (or is absent)
	Delete             // unconditional delete
)

func (k Kind) String() string {
	return [...]string{"get", "put", "cas", "delete"}[k]
}

// Input is what a client asked for.
type Input struct {
	Kind  Kind
	Key   string
	Value string // Put, CAS: the new value
	// Expect is the value CAS requires; ExpectAbsent asks for a missing key
	// (Consul's cas=0).
	Expect       string
	ExpectAbsent bool
}

// Output is what the client got back. Unknown marks an operation whose
// outcome is not known (error or timeout); it is recorded as pending.
type Output struct {
	Unknown bool
	OK      bool   // CAS: whether it applied
	Found   bool   // Get: whether the key existed
	Value   string // Get: the value read
}

// state is one key's value; comparable, so porcupine's == works.
type state struct {
	exists bool
	value  string
}

func (s state) String() string {
	if !s.exists {
		return "<absent>"
	}
	return fmt.Sprintf("%q", s.value)
}

// step applies one operation to one key's state. A pending operation
// accepts whatever the operation would have answered at that point.
func step(st state, in Input, out Output) (bool, state) {
	switch in.Kind {
	case Get:
		if out.Unknown {
			return true, st
		}
		return out.Found == st.exists && (!out.Found || out.Value == st.value), st
	case Put:
		return true, state{exists: true, value: in.Value}
	case Delete:
		return true, state{}
	case CAS:
		match := (in.ExpectAbsent && !st.exists) || (!in.ExpectAbsent && st.exists && st.value == in.Expect)
		next := st
		if match {
			next = state{exists: true, value: in.Value}
		}
		if out.Unknown {
			return true, next
		}
		return out.OK == match, next
	}
	return false, st
}

// partition splits a history by key: single-key operations on different
// keys never constrain each other.
func partition(history []porcupine.Operation) [][]porcupine.Operation {
	byKey := map[string][]porcupine.Operation{}
	for _, op := range history {
		k := op.Input.(Input).Key
		byKey[k] = append(byKey[k], op)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]porcupine.Operation, 0, len(keys))
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

func describe(input, output any) string {
	in, out := input.(Input), output.(Output)
	var res string
	switch {
	case out.Unknown:
		res = "?"
	case in.Kind == Get && !out.Found:
		res = "<absent>"
	case in.Kind == Get:
		res = fmt.Sprintf("%q", out.Value)
	case in.Kind == CAS:
		res = fmt.Sprint(out.OK)
	default:
		res = "ok"
	}
	switch in.Kind {
	case Put:
		return fmt.Sprintf("put(%s, %q) -> %s", in.Key, in.Value, res)
	case CAS:
		exp := fmt.Sprintf("%q", in.Expect)
		if in.ExpectAbsent {
			exp = "<absent>"
		}
		return fmt.Sprintf("cas(%s, %s -> %q) -> %s", in.Key, exp, in.Value, res)
	case Delete:
		return fmt.Sprintf("delete(%s) -> %s", in.Key, res)
	}
	return fmt.Sprintf("get(%s) -> %s", in.Key, res)
}

// Model is the porcupine specification of the agent's KV store.
var Model = porcupine.Model{
	Partition: partition,
	Init:      func() any { return state{} },
	Step: func(s, in, out any) (bool, any) {
		return step(s.(state), in.(Input), out.(Output))
	},
	DescribeOperation: describe,
	DescribeState:     func(s any) string { return s.(state).String() },
}
