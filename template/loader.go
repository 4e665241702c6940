package template

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/loaders"
)

// searchLoader is the template loader of one rendering: it serves the template being
// compiled under rootID, and the files that {% include %}, {% import %}, {% from %} and
// {% extends %} name, found as Jinja2's FileSystemLoader finds them: the name is split on
// "/" and joined to each search directory in turn, the first existing file wins, and a
// ".." segment is never found. Names are always relative to the search path, never to
// the including file, as in Jinja2.
type searchLoader struct {
	e     *Engine
	root  string   // the prepared text of the template being compiled
	paths []string // search directories, in order
	// base, when paths is nil, is an inline template's scope: paths is then its loader
	// basedir, worked out when a file is first looked for (most templates include none)
	base *Scope
	mu   sync.Mutex
	// served lists the files read while parsing ({% extends %}), whose variable names
	// the compiled template must also bind
	served []dep
}

// dep is a file read while parsing: a compiled template that read it stays valid while
// its name finds the same file with the same text.
type dep struct{ name, path, text string }

// searchPaths is the loader's search path (see base).
func (l *searchLoader) searchPaths() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.paths == nil && l.base != nil {
		l.paths = []string{basedirOf(l.base, nil)}
	}
	return l.paths
}

var _ loaders.Loader = (*searchLoader)(nil)

// TemplateNotFoundError is a template that no search directory holds; Error() is
// Jinja2's TemplateNotFound text, the name.
type TemplateNotFoundError struct {
	Name  string
	Paths []string // where it was searched
}

func (e *TemplateNotFoundError) Error() string {
	return fmt.Sprintf("TemplateNotFound: %s (searched %s)", e.Name, strings.Join(e.Paths, ", "))
}

// find returns the path of name on the search path.
func (l *searchLoader) find(name string) (string, error) {
	paths := l.searchPaths()
	var parts []string
	for _, p := range strings.Split(name, "/") {
		switch {
		case p == "..":
			return "", &TemplateNotFoundError{Name: name, Paths: paths}
		case p != "" && p != ".":
			parts = append(parts, p)
		}
	}
	for _, dir := range paths {
		p := filepath.Join(append([]string{dir}, parts...)...)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", &TemplateNotFoundError{Name: name, Paths: paths}
}

// load finds name and returns its path and text prepared for gonja (see prepareFile).
func (l *searchLoader) load(name string) (path, text string, err error) {
	path, err = l.find(name)
	if err != nil {
		return "", "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", fmt.Errorf("template %s: %w", name, err)
	}
	return path, l.e.prepareFile(string(data)), nil
}

// Read serves the root template, or a file named by {% extends %} at parse time.
func (l *searchLoader) Read(name string) (io.Reader, error) {
	if name == rootID {
		return strings.NewReader(l.root), nil
	}
	path, text, err := l.load(name)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.served = append(l.served, dep{name: name, path: path, text: text})
	l.mu.Unlock()
	return bytes.NewReader([]byte(text)), nil
}

// Resolve keeps the name: lookups happen in Read, on the search path.
func (l *searchLoader) Resolve(name string) (string, error) { return name, nil }

// Inherit keeps the search path: Jinja2 does not resolve names relative to the includer.
func (l *searchLoader) Inherit(string) (loaders.Loader, error) { return l, nil }

// prepareFile is what an included, imported or extended file goes through before gonja
// parses it: Jinja2 drops one trailing newline of every template it loads
// (keep_trailing_newline is false; Ansible restores only the top template's), and file
// text is taken with Python's string escapes (Ansible's escape_backslashes=False).
func (e *Engine) prepareFile(text string) string {
	if strings.HasSuffix(text, "\r\n") {
		text = strings.TrimSuffix(text, "\r\n")
	} else {
		text = strings.TrimSuffix(text, "\n")
	}
	return e.prepare(text, true)
}

// fileSearchPath is the include search path of a template file rendered by the template
// module (lookup false) or the template lookup (lookup true), as Ansible sets it: the
// task's ansible_search_path (its roles, its task file's directory, the playbook's), each
// directory's templates/ subdirectory first. The module appends the loader basedir and
// the template's own directory; the lookup uses those two only when there is no
// ansible_search_path, and puts the template's directory first.
func fileSearchPath(s *Scope, fullpath string, lookup bool) []string {
	base, ok, _ := searchPathOf(s, nil)
	if !lookup || !ok {
		base = append(base, basedirOf(s, nil), filepath.Dir(fullpath))
	}
	var out []string
	if lookup {
		out = append(out, filepath.Dir(fullpath))
	}
	for _, p := range base {
		out = append(out, filepath.Join(p, "templates"), p)
	}
	return out
}
