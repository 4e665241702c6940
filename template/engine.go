package template

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/gossible/gossible/vault"
)

// Engine renders templates. It is safe for concurrent use; compiled templates are cached.
type Engine struct {
	cfg     *config.Config
	env     *exec.Environment // shared filters/tests/statements; Context holds the globals
	cache   sync.Map          // source or fileKey → *compiled
	cacheN  int64
	cacheMu sync.Mutex
	// rawBackslashes: template files render with Ansible's escape_backslashes=False
	// (see RenderFile); playbook strings have their literals' backslashes doubled.
	rawBackslashes bool
	// roleDirs caches FindRelative's role detection.
	roleDirs roleDirs
	// vaultSecrets are the run's vault secrets, for the unvault lookup (SetVaultSecrets).
	vaultSecrets []vault.Secret
}

// maxCached bounds the compiled-template cache; past it the cache is dropped wholesale,
// which is cheap and keeps memory flat for runs that template many distinct strings.
const maxCached = 4096

// sharedEngine templates variables looked up through a Scope. It is built on first use:
// a package-level New() would run before the init() functions that register the filters.
var sharedEngine = sync.OnceValue(New)

// New returns an engine with Jinja2's built-ins and Ansible's filters and tests.
func New() *Engine {
	cfg := config.New()
	cfg.StrictUndefined = true
	cfg.KeepTrailingNewline = true
	cfg.TrimBlocks = true // Ansible's default for template strings (trim_blocks=True)
	filters := exec.NewFilterSet(map[string]exec.FilterFunction{}).Update(builtins.Filters)
	for name, f := range filterRegistry {
		filters.Update(exec.NewFilterSet(map[string]exec.FilterFunction{name: f.gonja(name)}))
	}
	installOrderFilters(filters)
	tests := exec.NewTestSet(map[string]exec.TestFunction{}).Update(builtins.Tests)
	for name, f := range testRegistry {
		tests.Update(exec.NewTestSet(map[string]exec.TestFunction{name: f.gonja(name)}))
	}
	guardBuiltins(filters, tests)
	return &Engine{
		cfg: cfg,
		env: &exec.Environment{
			Filters:           filters,
			Tests:             tests,
			ControlStructures: statements(),
			Methods:           ansibleMethods(),
			Context:           exec.EmptyContext().Update(builtins.GlobalFunctions).Update(exec.NewContext(operatorFuncs)).Update(exec.NewContext(lookupGlobals)).Update(exec.NewContext(timeGlobals)),
		},
	}
}

// reSingleVar is Ansible's SINGLE_VAR: a template that is just one bare variable.
var reSingleVar = regexp.MustCompile(`^\{\{\s*(\w*)\s*\}\}$`)

// Render templates v recursively: maps and lists are rebuilt with their strings rendered,
// other values pass through. A string template renders as Ansible 2.14 does (see package doc).
func (e *Engine) Render(v any, s *Scope) (any, error) {
	out, err := e.render(v, s, nil)
	if err != nil {
		return nil, err
	}
	return Plain(out)
}

func (e *Engine) render(v any, s *Scope, chain *resolving) (any, error) {
	return mapLeaves(v, func(leaf any) (any, error) {
		// UnsafeText is not a string here: it is never templated (see unsafe.go)
		if t, ok := leaf.(string); ok && IsTemplate(t) {
			return e.renderString(t, s, chain)
		}
		return leaf, nil
	})
}

// renderString renders one template string with Ansible's typing of the result.
func (e *Engine) renderString(src string, s *Scope, chain *resolving) (any, error) {
	if m := reSingleVar.FindStringSubmatch(src); m != nil {
		// Ansible hands back numbers, bools and None of a bare variable untouched.
		if raw, ok := s.raw(m[1]); ok {
			switch raw.(type) {
			case nil, bool, int, int64, float64, uint64, int32, float32:
				return raw, nil
			}
		}
	}
	out, native, unsafe, err := e.executeRun(src, s, chain, nil)
	if err != nil {
		return nil, err
	}
	var v any = out
	if !native {
		v = literalConvert(out)
	}
	if unsafe {
		return MarkUnsafe(v), nil
	}
	return v, nil
}

// RenderString renders s to text (no typing of the result).
func (e *Engine) RenderString(src string, sc *Scope) (string, error) {
	if !IsTemplate(src) {
		return src, nil
	}
	out, _, err := e.execute(src, sc, nil)
	return out, err
}

// Eval evaluates a bare expression (no braces), as Ansible does for `debug: var=` and a bare
// `with_items: name`: it is the template "{{ expr }}". An expression that already holds
// {{ }} is rendered as it is, as Ansible's convert_bare leaves it.
func (e *Engine) Eval(expr string, s *Scope) (any, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return nil, fmt.Errorf("empty expression")
	}
	if !IsTemplate(expr) {
		expr = "{{ " + expr + " }}"
	}
	v, err := e.renderString(expr, s, nil)
	if err != nil {
		return nil, err
	}
	return Plain(v)
}

// Cond evaluates a when:/changed_when:/failed_when: condition with Ansible's semantics: a
// bool is itself; a string is rendered if it holds {{ }}, and what remains is evaluated as
// a Jinja2 expression whose truth is Python's; a list is true when every item is.
func (e *Engine) Cond(cond any, s *Scope) (bool, error) {
	switch c := cond.(type) {
	case nil:
		return false, nil
	case bool:
		return c, nil
	case []any:
		for _, item := range c {
			ok, err := e.Cond(item, s)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case string:
		expr := c
		if IsTemplate(c) {
			v, err := e.renderString(c, s, nil)
			if err == nil {
				v, err = Plain(v)
			}
			if err != nil {
				return false, condError(c, err)
			}
			str, ok := v.(string)
			if !ok || str == "" {
				return truthy(v), nil
			}
			expr = str
		}
		if strings.TrimSpace(expr) == "" {
			return false, nil
		}
		v, err := e.evalNative(expr, s, nil)
		if err != nil {
			return false, condError(c, asIfStatement(err, expr))
		}
		return truthy(v), nil
	default:
		return truthy(c), nil
	}
}

// CondError is a conditional that could not be evaluated; Error() is Ansible's wording.
type CondError struct {
	Cond string
	Err  error
}

// Only an undefined variable gets the "error while evaluating conditional" frame (with
// its message repeated, as the wrapping exception shows it); any other error is shown
// as it is.
func (e *CondError) Error() string {
	if msg, ok := vaultCondMessage(e); ok {
		return msg
	}
	var ue *UndefinedError
	if errors.As(e.Err, &ue) {
		return fmt.Sprintf("The conditional check '%s' failed. The error was: error while evaluating conditional (%s): %v. %v", e.Cond, e.Cond, ue, ue)
	}
	return fmt.Sprintf("The conditional check '%s' failed. The error was: %v", e.Cond, e.Err)
}

// asIfStatement shows a template error in a condition with the statement Ansible
// evaluates a condition as, `{% if expr %} True {% else %} False {% endif %}`.
func asIfStatement(err error, expr string) error {
	stmt := "{% if " + expr + " %} True {% else %} False {% endif %}"
	switch te := err.(type) {
	case *TemplateError:
		if te.File == "" {
			c := *te
			c.Source = stmt
			return &c
		}
	case *typeFrameError:
		c := *te
		c.source = stmt
		return &c
	}
	return err
}

func (e *CondError) Unwrap() error { return e.Err }

func condError(c string, err error) error { return &CondError{Cond: c, Err: err} }

// evalNative evaluates a bare expression to its native Go value, without Ansible's
// string round trip.
func (e *Engine) evalNative(expr string, s *Scope, chain *resolving) (_ any, err error) {
	src := "{{ " + expr + " }}"
	defer guard(&err, src)
	c, err := e.compile(src)
	if err != nil {
		return nil, err
	}
	if c.single == nil {
		return nil, &TemplateError{Source: src, Msg: "not a single expression"}
	}
	r := e.newRun(c, s, chain)
	v := r.evaluator().Eval(c.single)
	if v.IsError() {
		return nil, r.fail(v, expr)
	}
	return toGoChecked(v)
}
