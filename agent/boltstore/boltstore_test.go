package boltstore

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/raft"
)

func TestLogsAndStable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "raft.db")
	s, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	logs := []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogConfiguration, Data: []byte("c")},
		{Index: 2, Term: 1, Type: raft.LogCommand, Data: []byte("hello"), AppendedAt: time.Unix(5, 6)},
		{Index: 3, Term: 2, Type: raft.LogCommand, Extensions: []byte("x")},
	}
	if err := s.StoreLogs(logs); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUint64([]byte("term"), 2); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name  string
		index uint64
		want  *raft.Log
	}{
		{name: "config", index: 1, want: logs[0]},
		{name: "data and time", index: 2, want: logs[1]},
		{name: "extensions", index: 3, want: logs[2]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got raft.Log
			if err := s.GetLog(tt.index, &got); err != nil {
				t.Fatal(err)
			}
			if got.Index != tt.want.Index || got.Term != tt.want.Term || got.Type != tt.want.Type ||
				string(got.Data) != string(tt.want.Data) || string(got.Extensions) != string(tt.want.Extensions) ||
				!got.AppendedAt.Equal(tt.want.AppendedAt) {
				t.Fatalf("got %+v want %+v", got, tt.want)
			}
		})
	}
	if v, err := s.GetUint64([]byte("term")); err != nil || v != 2 {
		t.Fatalf("term %d %v", v, err)
	}
	if _, err := s.Get([]byte("missing")); err == nil || err.Error() != "not found" {
		t.Fatalf("missing key error %v", err)
	}
	if err := s.DeleteRange(1, 2); err != nil {
		t.Fatal(err)
	}
	first, _ := s.FirstIndex()
	last, _ := s.LastIndex()
	if first != 3 || last != 3 {
		t.Fatalf("first %d last %d", first, last)
	}
	var l raft.Log
	if err := s.GetLog(1, &l); err != raft.ErrLogNotFound {
		t.Fatalf("deleted log: %v", err)
	}
}
