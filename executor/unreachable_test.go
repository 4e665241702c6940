package executor_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gossible/gossible/executor"
	"github.com/gossible/gossible/inventory"
	defaultcb "github.com/gossible/gossible/output/default"
	"github.com/gossible/gossible/output/display"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/transport"
	"github.com/gossible/gossible/transport/local"
)

// TestIgnoreUnreachable: under ignore_unreachable an unreachable result
// counts as ok and ignored, is registered, and the host stays in the play.
func TestIgnoreUnreachable(t *testing.T) {
	inv, err := inventory.Load([]string{"up,down,"})
	if err != nil {
		t.Fatal(err)
	}
	pb := loadPlay(t, `- hosts: all
  gather_facts: false
  tasks:
    - gossible_test.t.sh: cmd=true
      ignore_unreachable: true
      register: r
    - gossible_test.t.echo: msg=registered
      when: r.unreachable | default(false)
`)
	dial := func(ctx context.Context, kind string, cfg transport.Config) (transport.Conn, error) {
		if cfg.Host == "down" {
			return nil, &transport.UnreachableError{Host: "down", User: "u", Err: errors.New("connection refused")}
		}
		return local.New(), nil
	}
	var out bytes.Buffer
	res, err := executor.Run(context.Background(), []*playbook.Playbook{pb}, executor.Options{
		Inventory: inv, Callback: defaultcb.New(display.New(&out, &out, false), 0), Dial: dial,
	})
	if err != nil {
		t.Fatal(err)
	}
	down := res.Stats["down"]
	if res.Unreachable || down.Unreachable != 0 || down.Ignored != 1 || down.OK != 2 {
		t.Errorf("outcome %+v, stats down=%+v", res, down)
	}
	text := out.String()
	if !strings.Contains(text, "fatal: [down]: UNREACHABLE! => ") || !strings.Contains(text, "unreachable\": true}\n...ignoring\n") {
		t.Errorf("no ignored UNREACHABLE line:\n%s", text)
	}
	if !strings.Contains(text, "skipping: [up]") || !strings.Contains(text, "ok: [down]") {
		t.Errorf("register did not record the unreachable result:\n%s", text)
	}
}
