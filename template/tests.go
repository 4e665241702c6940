package template

import (
	"fmt"
	"regexp"
	"strconv"
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
	registerTest(resultTest(isFailed, false), "failed", "failure")
	registerTest(resultTest(isFailed, true), "succeeded", "success", "successful")
	registerTest(resultTest(isChanged, false), "changed", "change")
	registerTest(resultTest(isSkipped, false), "skipped", "skip")
	registerTest(testTruthy(true), "truthy")
	registerTest(testTruthy(false), "falsy")
	registerTest(testVersion, "version", "version_compare")
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
func resultTest(fn func(map[string]any) bool, negate bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		m, ok := c.in.(map[string]any)
		if !ok {
			return false, fmt.Errorf("the test expects a dictionary, got %s", typeName(c.in))
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

var reVersionPart = regexp.MustCompile(`\d+|[a-z]+|\.`)

// looseVersion splits a version as distutils' LooseVersion does.
func looseVersion(s string) []any {
	var out []any
	for _, p := range reVersionPart.FindAllString(s, -1) {
		if p == "." {
			continue
		}
		if n, err := strconv.Atoi(p); err == nil {
			out = append(out, n)
		} else {
			out = append(out, p)
		}
	}
	return out
}

func compareLoose(a, b []any) (int, error) {
	for i := 0; i < len(a) && i < len(b); i++ {
		an, aInt := a[i].(int)
		bn, bInt := b[i].(int)
		switch {
		case aInt && bInt:
			if an != bn {
				if an < bn {
					return -1, nil
				}
				return 1, nil
			}
		case !aInt && !bInt:
			if c := strings.Compare(a[i].(string), b[i].(string)); c != 0 {
				return c, nil
			}
		default:
			return 0, fmt.Errorf("cannot compare version parts %v and %v", a[i], b[i])
		}
	}
	switch {
	case len(a) < len(b):
		return -1, nil
	case len(a) > len(b):
		return 1, nil
	}
	return 0, nil
}

// version(value, version, operator='eq') compares loose versions.
func testVersion(c *call) (bool, error) {
	other := pyStr(c.arg(0, "version", ""))
	if c.arg(0, "version", nil) == nil {
		return false, fmt.Errorf("version value cannot be empty")
	}
	op := pyStr(c.arg(1, "operator", "eq"))
	cmp, err := compareLoose(looseVersion(pyStr(c.in)), looseVersion(other))
	if err != nil {
		return false, err
	}
	switch op {
	case "==", "=", "eq":
		return cmp == 0, nil
	case "<", "lt":
		return cmp < 0, nil
	case "<=", "le":
		return cmp <= 0, nil
	case ">", "gt":
		return cmp > 0, nil
	case ">=", "ge":
		return cmp >= 0, nil
	case "!=", "<>", "ne":
		return cmp != 0, nil
	}
	return false, fmt.Errorf("invalid operator type (%s)", op)
}
