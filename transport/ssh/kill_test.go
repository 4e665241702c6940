package ssh

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestPidReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantPid int64
		wantOut string
	}{
		{name: "pid then output", in: "1234\nerr line\n", wantPid: 1234, wantOut: "err line\n"},
		{name: "pid only", in: "99\n", wantPid: 99},
		{name: "not a pid", in: "oops\nmore", wantOut: "oops\nmore"},
		{name: "no newline", in: "12", wantOut: "12"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte a read: the pid line may arrive in pieces.
			p := &pidReader{r: iotest.OneByteReader(strings.NewReader(tt.in))}
			out, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.wantOut || p.pid.Load() != tt.wantPid {
				t.Errorf("got pid %d output %q, want %d %q", p.pid.Load(), out, tt.wantPid, tt.wantOut)
			}
		})
	}
}
