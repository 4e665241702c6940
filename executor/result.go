package executor

import (
	"errors"
	"github.com/gossible/gossible/internal/keyorder"
	"strings"

	"github.com/gossible/gossible/transport"
)

// callbackKeys are the internal keys Ansible's clean_copy keeps for callbacks.
var callbackKeys = map[string]bool{
	"_ansible_verbose_always": true, "_ansible_item_label": true,
	"_ansible_no_log": true, "_ansible_verbose_override": true,
	"_ansible_delegated_vars": true,
}

// censor returns the copy callbacks see; loop is set for the aggregate
// result of a loop, which carries no _ansible_no_log of its own.
func censor(res map[string]any, noLog, loop bool) map[string]any {
	if !noLog {
		out := make(map[string]any, len(res)+1)
		for k, v := range res {
			if strings.HasPrefix(k, "_ansible_") && !callbackKeys[k] {
				continue
			}
			out[k] = stripExcept(v)
		}
		if _, ok := out["_ansible_no_log"]; !ok && !loop {
			out["_ansible_no_log"] = false
		}
		return out
	}
	out := map[string]any{"censored": censoredMsg}
	for _, k := range []string{"attempts", "changed", "retries"} {
		if v, ok := res[k]; ok {
			out[k] = v
		}
	}
	return out
}

// registered strips internal keys and the invocation, as Ansible does
// before storing a registered result.
func registered(res map[string]any) map[string]any {
	out := make(map[string]any, len(res))
	for k, v := range res {
		if strings.HasPrefix(k, "_ansible_") || k == "invocation" {
			continue
		}
		out[k] = stripInternal(v)
	}
	return out
}

func stripInternal(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if strings.HasPrefix(k, "_ansible_") {
				continue
			}
			out[k] = stripInternal(e)
		}
		keyorder.CopyOrder(out, t) // loop labels print in written order
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = stripInternal(e)
		}
		return out
	}
	return v
}

// statusOf classifies a finished result.
func statusOf(res map[string]any) Status {
	if b, _ := res["unreachable"].(bool); b {
		return StatusUnreachable
	}
	if b, _ := res["skipped"].(bool); b {
		return StatusSkipped
	}
	if b, _ := res["failed"].(bool); b {
		return StatusFailed
	}
	if b, _ := res["changed"].(bool); b {
		return StatusChanged
	}
	return StatusOK
}

// failedResult is a failure raised by the executor itself (templating,
// conditionals, loops): Ansible reports these without "changed".
func failedResult(msg string) map[string]any {
	return map[string]any{"failed": true, "msg": msg}
}

func unreachableResult(err error) map[string]any {
	return map[string]any{"unreachable": true, "msg": err.Error(), "changed": false}
}

func isUnreachable(err error) bool { return errors.Is(err, transport.ErrUnreachable) }

// stripExcept removes internal keys inside v except those callbacks keep,
// as strip_internal_keys(exceptions=CLEAN_EXCEPTIONS) does.
func stripExcept(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if strings.HasPrefix(k, "_ansible_") && !callbackKeys[k] {
				continue
			}
			out[k] = stripExcept(e)
		}
		keyorder.CopyOrder(out, t) // loop labels print in written order
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = stripExcept(e)
		}
		return out
	}
	return v
}
