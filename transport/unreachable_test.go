package transport

import (
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestUnreachableWording(t *testing.T) {
	opErr := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "refused", err: &ConnectError{Host: "127.0.0.1", Port: 1, Err: opErr(syscall.ECONNREFUSED)},
			want: "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused"},
		{name: "no route", err: &ConnectError{Host: "h", Port: 22, Err: opErr(syscall.EHOSTUNREACH)},
			want: "Failed to connect to the host via ssh: ssh: connect to host h port 22: No route to host"},
		{name: "unresolvable", err: &ConnectError{Host: "nosuch", Port: 22, Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nosuch", IsNotFound: true}}},
			want: "Failed to connect to the host via ssh: ssh: Could not resolve hostname nosuch: Name or service not known"},
		{name: "after connecting", err: errors.New("Permission denied (publickey)."),
			want: "Failed to connect to the host via ssh: u@h: Permission denied (publickey)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&UnreachableError{Host: "h", User: "u", Err: tt.err})
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.want)
			}
			if !errors.Is(err, ErrUnreachable) {
				t.Errorf("not ErrUnreachable")
			}
		})
	}
}
