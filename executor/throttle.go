package executor

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossible/gossible/template"
)

// throttle is how many hosts may run the task at once: forks, lowered by
// the task's throttle keyword or that of its nearest enclosing block that
// sets one (0 means no limit, as in Ansible).
func (r *runner) throttle(pc *playCtx, n *node, first *hostState) (int, error) {
	workers := max(r.opts.Forks, 1)
	var v any
	for p := n; p != nil; p = p.parent {
		if p.task.Throttle != nil {
			v = p.task.Throttle
			break
		}
	}
	if v == nil {
		return workers, nil
	}
	if s, ok := v.(string); ok && template.IsTemplate(s) {
		out, err := r.engine.Render(s, r.scope(pc, first, n))
		if err != nil {
			return 0, fatalf("%s", taskErrorMsg(n.task.Pos, fmt.Errorf("templating throttle: %w", err)))
		}
		v = out
	}
	limit, err := throttleValue(v)
	if err != nil {
		return 0, fatalf("%s", taskErrorMsg(n.task.Pos, err))
	}
	if limit > 0 && limit < workers {
		workers = limit
	}
	return workers, nil
}

func throttleValue(v any) (int, error) {
	switch t := v.(type) {
	case int:
		return t, nil
	case int64:
		return int(t), nil
	case float64:
		return int(t), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("the field 'throttle' has an invalid value (%v), and could not be converted to an int", v)
}
