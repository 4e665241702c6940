package template

import (
	"fmt"
	"strings"
)

// typeError is a filter or test failing with Python's TypeError (a missing or surplus
// argument, a value of the wrong type). Ansible shows it as "Unexpected templating type
// error occurred on (<template>): <msg>"; the message names the Python function, which is
// how Ansible's argument errors name the filter.
type typeError struct{ msg string }

func (e *typeError) Error() string { return e.msg }

func typeErrorf(format string, a ...any) error {
	return &typeError{fmt.Sprintf(format, a...)}
}

// need checks that the required parameters (after the piped value) were given, by
// position or keyword, and fails as Python does for function fn when they were not.
func (c *call) need(fn string, params ...string) error {
	var missing []string
	for i, p := range params {
		if i < len(c.args) {
			continue
		}
		if _, ok := c.kwargs[p]; !ok {
			missing = append(missing, "'"+p+"'")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	s := ""
	if len(missing) > 1 {
		s = "s"
	}
	list := missing[0]
	if n := len(missing); n > 1 {
		list = strings.Join(missing[:n-1], ", ") + " and " + missing[n-1]
		if n > 2 {
			list = strings.Join(missing[:n-1], ", ") + ", and " + missing[n-1]
		}
	}
	return typeErrorf("%s() missing %d required positional argument%s: %s", fn, len(missing), s, list)
}

// most fails as Python does when more than max positional arguments (after the piped
// value) were given to function fn.
func (c *call) most(fn string, max int) error {
	if len(c.args) <= max {
		return nil
	}
	s := "s"
	if max+1 == 1 {
		s = ""
	}
	was := "were"
	if len(c.args)+1 == 1 {
		was = "was"
	}
	return typeErrorf("%s() takes %d positional argument%s but %d %s given", fn, max+1, s, len(c.args)+1, was)
}

// only fails as Python does for a keyword argument fn does not take.
func (c *call) only(fn string, names ...string) error {
	for _, k := range sortedKeys(c.kwargs) {
		ok := false
		for _, n := range names {
			ok = ok || k == n
		}
		if !ok {
			return typeErrorf("%s() got an unexpected keyword argument '%s'", fn, k)
		}
	}
	return nil
}

// sig checks a Python signature: the required and optional parameters after the piped
// value, all also accepted by keyword.
func (c *call) sig(fn string, required []string, optional ...string) error {
	if err := c.only(fn, append(append([]string{}, required...), optional...)...); err != nil {
		return err
	}
	if err := c.need(fn, required...); err != nil {
		return err
	}
	n := len(required) + len(optional)
	if len(c.args) > n {
		if len(optional) == 0 {
			return c.most(fn, n)
		}
		return typeErrorf("%s() takes from %d to %d positional arguments but %d were given", fn, len(required)+1, n+1, len(c.args)+1)
	}
	return nil
}

// typeFrameError is a typeError as the template run reports it, in Ansible's words.
type typeFrameError struct {
	source, msg string
	err         error
}

func (e *typeFrameError) Error() string {
	// the TypeError's message comes again, as Ansible's exception repeats its cause
	return fmt.Sprintf("Unexpected templating type error occurred on (%s): %s. %s", e.source, e.msg, e.msg)
}

func (e *typeFrameError) Unwrap() error { return e.err }
