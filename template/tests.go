package template

import (
	"fmt"
	"strings"
)

func init() {
	registerUndefinedTest(func(c *call) (bool, error) { return c.undef == nil, nil }, "defined")
	registerUndefinedTest(func(c *call) (bool, error) { return c.undef != nil, nil }, "undefined")
	registerTest(testMatch, "match")
	registerTest(testSearch, "search")
	registerTest(testRegex, "regex")
	registerTest(testContains, "contains")
	registerTest(testIn, "in")
	registerTest(resultTest("failed", isFailed, false), "failed", "failure")
	registerTest(resultTest("failed", isFailed, true), "succeeded", "success", "successful")
	registerTest(resultTest("changed", isChanged, false), "changed", "change")
	registerTest(resultTest("skipped", isSkipped, false), "skipped", "skip")
	registerTest(testTruthy(true), "truthy")
	registerTest(testTruthy(false), "falsy")
}

func regexTest(c *call, matchType string) (bool, error) {
	pattern, err := c.str(0, "pattern", "")
	if err != nil {
		return false, err
	}
	if s, ok := c.kwargs["match_type"].(string); ok {
		matchType = s
	}
	switch matchType {
	case "match":
		pattern = `\A(?:` + pattern + `)`
	case "fullmatch":
		pattern = `\A(?:` + pattern + `)\z`
	case "search":
	default:
		return false, fmt.Errorf("unknown match_type %q", matchType)
	}
	re, err := compileRegex(pattern, c)
	if err != nil {
		return false, err
	}
	return re.MatchString(pyStr(c.in)), nil
}

func testMatch(c *call) (bool, error)  { return regexTest(c, "match") }
func testSearch(c *call) (bool, error) { return regexTest(c, "search") }
func testRegex(c *call) (bool, error)  { return regexTest(c, "search") }

// pyIn is Python's `x in container`.
func pyIn(x, container any) (bool, error) {
	switch t := container.(type) {
	case []any:
		return containsValue(t, x), nil
	case map[string]any:
		k, ok := x.(string)
		if !ok {
			return false, nil
		}
		_, found := t[k]
		return found, nil
	case string:
		s, ok := x.(string)
		if !ok {
			return false, fmt.Errorf("'in <string>' requires string as left operand, not %s", typeName(x))
		}
		return strings.Contains(t, s), nil
	case *Scope: // hostvars[host]
		k, ok := x.(string)
		return ok && t.Has(k), nil
	}
	return false, fmt.Errorf("argument of type '%s' is not iterable", typeName(container))
}

func testContains(c *call) (bool, error) { return pyIn(c.arg(0, "value", nil), c.in) }
func testIn(c *call) (bool, error)       { return pyIn(c.in, c.arg(0, "seq", nil)) }

// resultTest builds the registered-result tests; they need a dictionary, as Ansible's do.
func resultTest(name string, fn func(map[string]any) bool, negate bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		m, ok := c.in.(map[string]any)
		if !ok {
			return false, &plainError{"The '" + name + "' test expects a dictionary"}
		}
		return fn(m) != negate, nil
	}
}

func isFailed(m map[string]any) bool  { return truthy(m["failed"]) }
func isSkipped(m map[string]any) bool { return truthy(m["skipped"]) }

// isChanged also looks into loop results, as Ansible's changed test does.
func isChanged(m map[string]any) bool {
	if truthy(m["changed"]) {
		return true
	}
	if rs, ok := m["results"].([]any); ok {
		for _, r := range rs {
			if rm, ok := r.(map[string]any); ok && truthy(rm["changed"]) {
				return true
			}
		}
	}
	return false
}

func testTruthy(want bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		v := c.in
		if truthy(c.kwargs["convert_bool"]) {
			if b, err := filterBool(&call{in: v}); err == nil && b != nil {
				v = b
			}
		}
		return truthy(v) == want, nil
	}
}
