package template

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// A lookup plugin as Ansible 2.14 has it: terms in, a list out. Where a plugin reads
// files it searches the scope's ansible_search_path (the task's role and task dirs, as
// Ansible's executor sets it), then role_path, then playbook_dir, Ansible's loader basedir,
// which is also where pipe and lines run and where password resolves relative paths.
type lookupFunc func(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error)

var lookupRegistry = map[string]lookupFunc{}

func registerLookup(fn lookupFunc, names ...string) {
	for _, n := range names {
		lookupRegistry[n] = fn
		lookupRegistry["ansible.builtin."+n] = fn
		lookupRegistry["ansible.legacy."+n] = fn
	}
}

// LookupNames lists the lookup plugins gossible has (short names).
func LookupNames() []string {
	var out []string
	for n := range lookupRegistry {
		if !strings.Contains(n, ".") {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// LookupError is a lookup plugin that failed, worded as Ansible words it (for most
// plugins: "An unhandled exception occurred while running the lookup plugin ...").
type LookupError struct {
	Plugin string
	Msg    string
	// Cause is the plugin's own message when Msg wraps it ("An unhandled exception
	// occurred..."): Ansible's exception shows it again after Msg.
	Cause string
}

func (e *LookupError) Error() string {
	if e.Cause != "" {
		return e.Msg + ". " + e.Cause
	}
	return e.Msg
}

// Errors a plugin returns, by Ansible's exception class: they decide the final message and
// whether errors=ignore|warn applies.
type (
	// ansibleErr is an AnsibleError raised inside the plugin: Templar wraps it in the
	// "unhandled exception" message; errors= applies.
	ansibleErr struct{ msg string }
	// handledErr is an AnsibleLookupError: shown as it is; errors= applies.
	handledErr struct{ msg string }
	// undefinedErr is an AnsibleUndefinedVariable: shown as it is, always fatal.
	undefinedErr struct{ msg string }
	// classedErr is another exception class raised inside the plugin (AnsibleParserError,
	// AttributeError...): as ansibleErr, with its class named in the message.
	classedErr struct{ class, msg string }
)

func (e *ansibleErr) Error() string   { return e.msg }
func (e *handledErr) Error() string   { return e.msg }
func (e *undefinedErr) Error() string { return e.msg }
func (e *classedErr) Error() string   { return e.msg }

func errf(format string, a ...any) error { return &ansibleErr{fmt.Sprintf(format, a...)} }

type lookupCtx struct {
	e     *Engine
	s     *Scope
	chain *resolving
}

// Lookup runs lookup plugin name with terms as given (not templated again: the executor
// renders a with_<name> loop's value first and passes a string as a one-item list, as
// Ansible's listify_lookup_plugin_terms does) and returns its list, as a with_<name>
// loop uses it. kwargs are the plugin's options (and errors=). The scope supplies the
// variables and the search path (ansible_search_path, role_path, playbook_dir).
func (e *Engine) Lookup(name string, terms []any, kwargs map[string]any, s *Scope) ([]any, error) {
	kw := make(map[string]any, len(kwargs)+1)
	for k, v := range kwargs {
		kw[k] = v
	}
	kw["wantlist"] = true
	out, err := e.runLookup(name, terms, kw, s, nil, true)
	if err != nil {
		return nil, err
	}
	l, _ := out.([]any)
	if l == nil {
		l = []any{}
	}
	return l, nil
}

// LoopTerms turns a with_<lookup> loop's value into the plugin's terms as Ansible's
// listify_lookup_plugin_terms does: it is templated, and a string (or any non-list)
// becomes a one-item list.
func (e *Engine) LoopTerms(v any, s *Scope) ([]any, error) {
	r, err := e.Render(v, s)
	if err != nil {
		return nil, err
	}
	if l, ok := r.([]any); ok {
		return l, nil
	}
	return []any{r}, nil
}

// lookupCall is lookup()/query() inside a template: string terms are templated first.
func (e *Engine) lookupCall(name string, terms []any, kw map[string]any, s *Scope, chain *resolving) (any, error) {
	return e.runLookup(name, terms, kw, s, chain, false)
}

// runLookup runs a plugin for lookup()/query() or, when loop is set, for a
// with_<name> loop: that one gets its terms already templated and, as
// Ansible's task executor calls the plugin directly, shows a plugin's
// AnsibleError as it is, not in the Templar's "unhandled exception" frame.
func (e *Engine) runLookup(name string, terms []any, kw map[string]any, s *Scope, chain *resolving, loop bool) (any, error) {
	fn, ok := lookupRegistry[name]
	if short := strings.TrimPrefix(strings.TrimPrefix(name, "ansible.builtin."), "ansible.legacy."); unsupportedLookups[short] {
		return nil, unsupportedLookup(short)
	}
	if !ok {
		return nil, &LookupError{Plugin: name, Msg: fmt.Sprintf("lookup plugin (%s) not found", name)}
	}
	wantlist := truthy(kw["wantlist"])
	errorsMode := "strict"
	if v, ok := kw["errors"]; ok {
		errorsMode = pyStr(v)
	}
	plugKw := map[string]any{}
	for k, v := range kw {
		switch k {
		case "wantlist", "errors", "allow_unsafe":
		default:
			plugKw[k] = v
		}
	}
	if s == nil {
		s = NewScope()
	}
	if !loop {
		r, err := e.renderPlain(terms, s, chain)
		if err != nil {
			return nil, err
		}
		terms = r.([]any)
	}
	ran, err := fn(&lookupCtx{e: e, s: s, chain: chain}, terms, plugKw)
	if err != nil {
		le := &LookupError{Plugin: name}
		var warning string
		switch t := err.(type) {
		case *UndefinedError, *RecursionError, *CondError:
			return nil, err
		case *undefinedErr:
			return nil, &LookupError{Plugin: name, Msg: t.msg}
		case *handledErr:
			le.Msg = t.msg
			warning = "Lookup failed but the error is being ignored: " + t.msg
		default:
			if loop {
				le.Msg = err.Error()
				warning = le.Msg
				break
			}
			class := "ansible.errors.AnsibleError"
			if ce, ok := err.(*classedErr); ok {
				class = ce.class
			}
			le.Msg = fmt.Sprintf("An unhandled exception occurred while running the lookup plugin '%s'. Error was a <class '%s'>, original message: %s", name, class, err.Error())
			le.Cause = err.Error()
			warning = le.Msg
		}
		switch errorsMode {
		case "ignore", "warn":
			if errorsMode == "warn" {
				s.warn(warning)
			}
			if wantlist {
				return []any{}, nil
			}
			return nil, nil
		}
		return nil, le
	}
	if len(ran) == 0 || wantlist {
		if ran == nil {
			ran = []any{}
		}
		return ran, nil
	}
	// lookup() joins a list of strings with commas; anything else stays as it is, one
	// item unwrapped.
	strs := make([]string, 0, len(ran))
	native := false
	for _, r := range ran {
		switch t := r.(type) {
		case string:
			strs = append(strs, t)
		case nativeText:
			native = true
			strs = append(strs, string(t))
		}
	}
	if len(strs) == len(ran) {
		if native {
			return nativeText(strings.Join(strs, ",")), nil
		}
		return strings.Join(strs, ","), nil
	}
	if len(ran) == 1 {
		return ran[0], nil
	}
	return ran, nil
}

// --- search paths ---

// searchPaths is Ansible's find_file_in_search_path list: ansible_search_path, else the
// role's path, else the playbook dir.
func (lc *lookupCtx) searchPaths() ([]string, error) {
	paths, ok, err := searchPathOf(lc.s, lc.chain)
	if err != nil || ok {
		return paths, err
	}
	if rp, ok, _ := lc.s.lookup("role_path", lc.chain); ok {
		return []string{pyStr(rp)}, nil
	}
	return []string{lc.basedir()}, nil
}

// basedir is Ansible's loader basedir (see basedirOf).
func (lc *lookupCtx) basedir() string { return basedirOf(lc.s, lc.chain) }

// findFile finds name along the search paths (see FindRelative); ok is false when
// nothing exists, with Ansible's warning.
func (lc *lookupCtx) findFile(subdir, name string) (string, bool, error) {
	return lc.find(subdir, name, true)
}

// find is findFile; warn says whether a missing file is warned about (first_found
// looks for files that may well be missing).
func (lc *lookupCtx) find(subdir, name string, warn bool) (string, bool, error) {
	if name == "" {
		return "", false, nil
	}
	paths, err := lc.searchPaths()
	if err != nil {
		return "", false, err
	}
	found, cands := lc.e.FindRelative(paths, lc.basedir(), subdir, name)
	if found == "" && warn {
		lc.warnMissing(name)
	}
	if found == "" && len(cands) == 1 && cands[0] == unfrack(name) {
		return cands[0], false, nil // an absolute name: kept for the message
	}
	return found, found != "", nil
}

// warnMissing is Ansible's warning for a file a lookup searched for in vain.
func (lc *lookupCtx) warnMissing(name string) {
	lc.s.warn(fmt.Sprintf("Unable to find '%s' in expected paths (use -vvvvv to see paths)", name))
}

// unfrack is Ansible's unfrackpath without following links: ~ and $VARS expanded,
// absolute, cleaned.
func unfrack(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = home + p[1:]
		}
	}
	p = os.ExpandEnv(p)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// pyJoin is Python's os.path.join: an absolute part restarts the path.
func pyJoin(parts ...string) string {
	out := ""
	for _, p := range parts {
		switch {
		case strings.HasPrefix(p, "/"):
			out = p
		case out == "" || strings.HasSuffix(out, "/"):
			out += p
		default:
			out += "/" + p
		}
	}
	return out
}
