package executor_test

import (
	"strings"
	"testing"
)

// TestIgnoreUnreachable: under ignore_unreachable an unreachable result
// counts as ok and ignored, is registered, and the host stays in the play.
func TestIgnoreUnreachable(t *testing.T) {
	pb := loadPlay(t, `- hosts: all
  gather_facts: false
  tasks:
    - gossible_test.t.sh: cmd=true
      ignore_unreachable: true
      register: r
    - gossible_test.t.echo: msg=registered
      when: r.unreachable | default(false)
`)
	res, text := runWithDownHost(t, pb)
	down := res.Stats["down"]
	if res.Unreachable || down.Unreachable != 0 || down.Ignored != 1 || down.OK != 2 {
		t.Errorf("outcome %+v, stats down=%+v", res, down)
	}
	if !strings.Contains(text, "fatal: [down]: UNREACHABLE! => ") || !strings.Contains(text, "unreachable\": true}\n...ignoring\n") {
		t.Errorf("no ignored UNREACHABLE line:\n%s", text)
	}
	if !strings.Contains(text, "skipping: [up]") || !strings.Contains(text, "ok: [down]") {
		t.Errorf("register did not record the unreachable result:\n%s", text)
	}
}
