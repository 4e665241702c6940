package template

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

func init() {
	registerTest(testSubset(false), "subset", "issubset")
	registerTest(testSubset(true), "superset", "issuperset")
	registerTest(testNaN, "nan", "isnan")
	registerTest(testAsync("finished"), "finished")
	registerTest(testAsync("started"), "started")
	registerTest(testReachable(true), "reachable")
	registerTest(testReachable(false), "unreachable")
	registerTest(testAnyAll(false), "any")
	registerTest(testAnyAll(true), "all")
	registerTest(func(c *call) (bool, error) { return false, nil }, "vault_encrypted")
	registerTest(fileTest("isdir", func(p string) bool { fi, err := os.Stat(p); return err == nil && fi.IsDir() }), "directory", "is_dir")
	registerTest(fileTest("isfile", func(p string) bool { fi, err := os.Stat(p); return err == nil && fi.Mode().IsRegular() }), "file", "is_file")
	registerTest(fileTest("islink", func(p string) bool {
		fi, err := os.Lstat(p)
		return err == nil && fi.Mode()&os.ModeSymlink != 0
	}), "link", "is_link")
	registerTest(fileTest("exists", func(p string) bool { _, err := os.Stat(p); return err == nil }), "exists")
	registerTest(fileTest("lexists", func(p string) bool { _, err := os.Lstat(p); return err == nil }), "link_exists")
	registerTest(fileTest("isabs", func(p string) bool { return strings.HasPrefix(p, "/") }), "abs", "is_abs")
	registerTest(fileTest("ismount", isMount), "mount", "is_mount")
	registerTest(testSameFile, "same_file", "is_same_file")
}

// subset(b) is set(a) <= set(b); superset the reverse.
func testSubset(super bool) func(c *call) (bool, error) {
	fn := "issubset"
	if super {
		fn = "issuperset"
	}
	return func(c *call) (bool, error) {
		if err := c.sig(fn, []string{"b"}); err != nil {
			return false, err
		}
		a, err := pySet(c.in)
		if err != nil {
			return false, err
		}
		b, err := pySet(c.arg(0, "b", nil))
		if err != nil {
			return false, err
		}
		if super {
			a, b = b, a
		}
		for _, e := range a {
			if !containsValue(b, e) {
				return false, nil
			}
		}
		return true, nil
	}
}

// pySet is set(v): its items must be hashable (no lists or dicts).
func pySet(v any) ([]any, error) {
	l, err := pyIter(v)
	if err != nil {
		return nil, err
	}
	for _, e := range l {
		switch e.(type) {
		case []any, map[string]any:
			return nil, typeErrorf("unhashable type: '%s'", typeName(e))
		}
	}
	return l, nil
}

// nan is math.isnan; anything but a number is not NaN.
func testNaN(c *call) (bool, error) {
	if err := c.sig("isnotanumber", nil); err != nil {
		return false, err
	}
	f, ok := c.in.(float64)
	return ok && math.IsNaN(f), nil
}

// testAsync is the finished/started test of an async result: true without the key.
func testAsync(key string) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		m, ok := c.in.(map[string]any)
		if !ok {
			return false, &plainError{"The '" + key + "' test expects a dictionary"}
		}
		v, has := m[key]
		if !has {
			return true, nil
		}
		return valueEqual(v, 1), nil
	}
}

func testReachable(want bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		m, ok := c.in.(map[string]any)
		if !ok {
			return false, &plainError{"The 'unreachable' test expects a dictionary"}
		}
		return truthy(m["unreachable"]) != want, nil
	}
}

// any/all are Python's builtins over an iterable.
func testAnyAll(all bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		l, err := pyIter(c.in)
		if err != nil {
			return false, err
		}
		for _, e := range l {
			if truthy(e) != all {
				return !all, nil
			}
		}
		return all, nil
	}
}

// fileTest is an os.path predicate (Python's fn) on the controller's file system.
func fileTest(fn string, f func(string) bool) func(c *call) (bool, error) {
	return func(c *call) (bool, error) {
		if err := c.sig(fn, nil); err != nil {
			return false, err
		}
		p, err := pathString(c.in)
		if err != nil {
			switch fn {
			case "isabs":
				return false, err
			case "ismount":
				return false, typeErrorf("lstat: path should be string, bytes or os.PathLike, not %s", typeName(c.in))
			}
			return false, nil // os.path.exists and friends answer False for a bad path
		}
		return f(p), nil
	}
}

// isMount is os.path.ismount: p is a directory on another device than its parent, or
// the same inode as its parent (the root).
func isMount(p string) bool {
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&os.ModeSymlink != 0 || !fi.IsDir() {
		return false
	}
	parent, err := os.Lstat(filepath.Join(p, ".."))
	if err != nil {
		return false
	}
	a, aok := fi.Sys().(*syscall.Stat_t)
	b, bok := parent.Sys().(*syscall.Stat_t)
	if !aok || !bok {
		return false
	}
	return a.Dev != b.Dev || a.Ino == b.Ino
}

// same_file(other) is os.path.samefile; a path that does not exist is an error.
func testSameFile(c *call) (bool, error) {
	if err := c.sig("samefile", []string{"f2"}); err != nil {
		return false, err
	}
	a, err := pathString(c.in)
	if err != nil {
		return false, err
	}
	b, err := pathString(c.arg(0, "f2", nil))
	if err != nil {
		return false, err
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false, &plainError{"[Errno 2] No such file or directory: " + pyRepr(a)}
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, &plainError{"[Errno 2] No such file or directory: " + pyRepr(b)}
	}
	return os.SameFile(fa, fb), nil
}
