package template

import (
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
)

// Path filters: Python's os.path functions on the controller's file system.

func init() {
	registerFilter(pathFilter("basename", pathBasename), "basename")
	registerFilter(pathFilter("dirname", pathDirname), "dirname")
	registerFilter(pathFilter("expanduser", expandUser), "expanduser")
	registerFilter(pathFilter("expandvars", expandVars), "expandvars")
	registerFilter(pathFilter("realpath", realPath), "realpath")
	registerFilter(filterRelpath, "relpath")
	registerFilter(pathFilter("splitext", pathSplitext), "splitext")
	registerFilter(filterPathJoin, "path_join")
	registerFilter(pathFilter("fileglob", fileglob), "fileglob")
}

// pathString is the str a path function takes; anything else is Python's TypeError.
func pathString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", typeErrorf("expected str, bytes or os.PathLike object, not %s", typeName(v))
}

// pathFilter makes a filter of a one-argument path function fn (Python's name).
func pathFilter[T any](fn string, f func(string) T) func(c *call) (any, error) {
	return func(c *call) (any, error) {
		if err := c.sig(fn, nil); err != nil {
			return nil, err
		}
		s, err := pathString(c.in)
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

// pathBasename is os.path.basename: what follows the last '/'.
func pathBasename(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// pathDirname is os.path.dirname: what precedes the last '/', trailing slashes removed
// unless it is all slashes.
func pathDirname(s string) string {
	head := s[:strings.LastIndex(s, "/")+1]
	if strings.Trim(head, "/") != "" {
		head = strings.TrimRight(head, "/")
	}
	return head
}

// expandUser is os.path.expanduser: a leading ~ or ~user becomes the home directory;
// an unknown user leaves the path as it is.
func expandUser(s string) string {
	if !strings.HasPrefix(s, "~") {
		return s
	}
	i := strings.Index(s, "/")
	if i < 0 {
		i = len(s)
	}
	var home string
	if i == 1 {
		home = os.Getenv("HOME")
		if home == "" {
			u, err := user.Current()
			if err != nil {
				return s
			}
			home = u.HomeDir
		}
	} else {
		u, err := user.Lookup(s[1:i])
		if err != nil {
			return s
		}
		home = u.HomeDir
	}
	out := strings.TrimRight(home, "/") + s[i:]
	if out == "" {
		return "/"
	}
	return out
}

var reEnvVar = regexp.MustCompile(`\$(\w+|\{[^}]*\})`)

// expandVars is os.path.expandvars: $NAME and ${NAME} of set variables are replaced.
func expandVars(s string) string {
	return reEnvVar.ReplaceAllStringFunc(s, func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m[1:], "{"), "}")
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		return m
	})
}

// realPath is os.path.realpath (not strict): the absolute path with symbolic links
// resolved as far as they exist.
func realPath(s string) string {
	p := s
	if !filepath.IsAbs(p) {
		wd, _ := os.Getwd()
		p = filepath.Join(wd, p)
	}
	parts := strings.Split(p, "/")
	resolved := "/"
	for n := 0; len(parts) > 0; {
		part := parts[0]
		parts = parts[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, part)
		target, err := os.Readlink(next)
		if err != nil || n > 40 { // not a link (or a loop): keep it as written
			resolved = next
			continue
		}
		n++
		if filepath.IsAbs(target) {
			resolved = "/"
		}
		parts = append(strings.Split(target, "/"), parts...)
	}
	return resolved
}

// relpath(path, start=os.curdir).
func filterRelpath(c *call) (any, error) {
	if err := c.sig("relpath", nil, "start"); err != nil {
		return nil, err
	}
	p, err := pathString(c.in)
	if err != nil {
		return nil, err
	}
	start, err := pathString(c.arg(0, "start", "."))
	if err != nil {
		return nil, err
	}
	if p == "" {
		return nil, &plainError{"no path specified"}
	}
	wd, _ := os.Getwd()
	abs := func(s string) string {
		if !filepath.IsAbs(s) {
			s = filepath.Join(wd, s)
		}
		return filepath.Clean(s)
	}
	rel, err := filepath.Rel(abs(start), abs(p))
	if err != nil {
		return nil, &plainError{err.Error()}
	}
	return rel, nil
}

// pathSplitext is os.path.splitext: (root, ext), ext starting at the last dot of the
// last component unless that component is all leading dots up to it.
func pathSplitext(s string) []any {
	base := strings.LastIndex(s, "/") + 1
	dot := strings.LastIndex(s, ".")
	if dot > base && strings.Trim(s[base:dot], ".") != "" {
		return []any{s[:dot], s[dot:]}
	}
	return []any{s, ""}
}

// path_join(paths): os.path.join of a list's items; a string is returned as it is.
func filterPathJoin(c *call) (any, error) {
	if err := c.sig("path_join", nil); err != nil {
		return nil, err
	}
	switch v := c.in.(type) {
	case string:
		return v, nil
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			s, err := pathString(e)
			if err != nil {
				return nil, err
			}
			parts[i] = s
		}
		if len(v) == 0 {
			return nil, typeErrorf("join() missing 1 required positional argument: 'a'")
		}
		return pyJoin(parts...), nil
	}
	return nil, typeErrorf("|path_join expects string or sequence, got %s instead.", pyClass(c.in))
}

// pyClass is how Python prints a value's type: <class 'int'>.
func pyClass(v any) string { return "<class '" + typeName(v) + "'>" }

// fileglob(pattern): the regular files matching a glob on the controller. As Python's
// glob, a wildcard does not match a leading dot.
func fileglob(pattern string) []any {
	matches, _ := filepath.Glob(pattern)
	out := []any{}
	hiddenOK := strings.HasPrefix(filepath.Base(pattern), ".")
	for _, m := range matches {
		if !hiddenOK && strings.HasPrefix(filepath.Base(m), ".") {
			continue
		}
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			out = append(out, m)
		}
	}
	return out
}
