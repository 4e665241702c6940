package executor

import (
	"errors"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
	"github.com/gossible/gossible/transport"
)

// callbackKeys are the internal keys Ansible's clean_copy keeps for callbacks.
var callbackKeys = map[string]bool{
	"_ansible_verbose_always": true, "_ansible_item_label": true,
	"_ansible_no_log": true, "_ansible_verbose_override": true,
	"_ansible_delegated_vars": true,
}

// censor returns the copy callbacks see; loop is set for the aggregate
// result of a loop, which carries no _ansible_no_log of its own. Nor does
// an unreachable result: Ansible's task executor returns it before
// adding the key.
func censor(res map[string]any, noLog, loop bool) map[string]any {
	if !noLog {
		out := make(map[string]any, len(res)+1)
		for k, v := range res {
			if isCleanedKey(k) {
				continue
			}
			out[k] = StripKeys(v, isCleanedKey)
		}
		if _, ok := out["_ansible_no_log"]; !ok && !loop && statusOf(res) != StatusUnreachable && !actionRaised(res) {
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
		if IsInternalKey(k) || k == "invocation" {
			continue
		}
		out[k] = StripKeys(v, IsInternalKey)
	}
	return out
}

// registerValue is a registered result as the host's variables hold it:
// its text marked unsafe, so what a module returned ({{ }}, {% raw %}) is
// never templated, as Ansible wraps every result but set_fact's and
// include_vars'.
func registerValue(n *node, res map[string]any) any {
	reg := registered(res)
	switch playbook.ShortAction(n.task.Module) {
	case "set_fact", "include_vars":
		return reg
	}
	return template.MarkUnsafe(reg)
}

// StripKeys returns a deep copy of v whose mappings lack the keys drop
// reports, as Ansible's strip_internal_keys does; the copies keep their
// source's key order (loop labels print in written order). Callbacks use it
// too, for the results they print.
func StripKeys(v any, drop func(key string) bool) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if drop(k) {
				continue
			}
			out[k] = StripKeys(e, drop)
		}
		keyorder.CopyOrder(out, t)
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = StripKeys(e, drop)
		}
		return out
	}
	return v
}

// IsInternalKey reports the keys strip_internal_keys removes by default.
func IsInternalKey(k string) bool { return strings.HasPrefix(k, "_ansible_") }

// isCleanedKey is an internal key callbacks do not keep
// (strip_internal_keys with exceptions=CLEAN_EXCEPTIONS).
func isCleanedKey(k string) bool { return IsInternalKey(k) && !callbackKeys[k] }

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
