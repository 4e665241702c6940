package modules

import (
	"fmt"
	"sort"
	"strings"
)

// checkValidArgs is the check Ansible's controller-side actions (debug,
// fail, assert) make: any key outside valid fails with their message.
func checkValidArgs(action string, args map[string]any, valid ...string) Result {
	ok := map[string]bool{}
	for _, v := range valid {
		ok[v] = true
	}
	var bad []string
	for k := range args {
		if !ok[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return failed(fmt.Sprintf("Invalid options for %s: %s", action, strings.Join(bad, ",")))
}
