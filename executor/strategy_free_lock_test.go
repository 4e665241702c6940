package executor_test

import (
	"strings"
	"testing"
)

// TestFreeSlowLookupDoesNotHoldOthers: h1's first task templates a pipe
// lookup that waits until h2 has finished the play, applying a set_fact
// on the way; a worker that held the state lock while templating would
// keep h2's result from being applied.
func TestFreeSlowLookupDoesNotHoldOthers(t *testing.T) {
	play := `
- hosts: all
  strategy: free
  gather_facts: false
  tasks:
    - name: wait
      gossible_test.t.echo:
        msg: "{{ lookup('pipe', 'while [ ! -f ' ~ work ~ '/done ]; do sleep 0.02; done; echo ok') if inventory_hostname == 'h1' else 'fast' }}"
    - name: fact
      set_fact: {seen: "{{ hostvars[inventory_hostname].inventory_hostname }}"}
    - name: last
      gossible_test.t.sh:
        cmd: "touch {{ work }}/{{ 'done' if inventory_hostname == 'h2' else 'other' }}"
`
	got := runFree(t, play, "h1,h2,", 2)
	// h1's wait can only end once h2's last task has started, so h2's first two
	// results come first; h2's last result and h1's may then arrive in either order.
	wantFirstThenInOrder(t, got, []string{"h2 wait", "h2 fact"}, []string{"h1 wait", "h1 fact", "h1 last"})
}

// TestFreeReadsOtherHostvars: hosts read the variables and facts other
// hosts are setting meanwhile (run it with -race).
func TestFreeReadsOtherHostvars(t *testing.T) {
	play := `
- hosts: all
  strategy: free
  gather_facts: false
  tasks:
    - name: set
      set_fact: {v: "{{ item }}", f: "{{ item }}", cacheable: true}
      loop: [1, 2, 3, 4]
    - name: read
      gossible_test.t.echo:
        msg: "{{ groups.all | map('extract', hostvars) | map(attribute='ansible_facts') | list | to_json }} {{ hostvars | dict2items | map(attribute='value.v') | select('defined') | list }}"
      loop: [1, 2, 3]
`
	got := runFree(t, play, "a,b,c,d,", 3)
	if len(got) != 8 {
		t.Fatalf("results: %v", got)
	}
	for _, r := range got {
		if strings.HasSuffix(r, "failed") {
			t.Errorf("result %q", r)
		}
	}
}
