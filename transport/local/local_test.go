package local

import (
	"context"
	"testing"

	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/transporttest"
)

func TestContract(t *testing.T) {
	transporttest.Run(t, func(t *testing.T) transport.Conn { return New() })
}

func TestBecomePassword(t *testing.T) {
	transporttest.RunFakeSudo(t, func(t *testing.T) transport.Conn { return New() })
}

// BenchmarkExec is the floor for every transport: one /bin/sh -c true.
func BenchmarkExec(b *testing.B) {
	c := New()
	for b.Loop() {
		if res, err := c.Exec(context.Background(), transport.Cmd{Line: "true"}); err != nil || res.RC != 0 {
			b.Fatalf("exec: %v rc %d", err, res.RC)
		}
	}
}

func TestBecomeSuPassword(t *testing.T) {
	transporttest.RunFakeSu(t, func(t *testing.T) transport.Conn { return New() })
}
