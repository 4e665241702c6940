package executor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/internal/yamlvars"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
	"github.com/gossible/gossible/vault"
)

// playCtx is one play's state while it runs.
type playCtx struct {
	pb   *playbook.Playbook
	play *playbook.Play
	c    *compiled

	allDefaults []map[string]any // every role's defaults, in role order
	allRoleVars []map[string]any // every role's vars (roles are public in 2.14)
	playMagic   map[string]any   // playbook_dir, hostvars, ansible_play_name
	hostvars    map[string]any   // host name → *template.Scope
	varsFiles   map[string][]map[string]any
	preloaded   map[string]map[string]any // vars files read before the play started, by path
	// dynamic holds ansible_play_hosts & co. It is replaced (never written)
	// before each task, so scopes built for a task see a stable map.
	dynamic map[string]any
	// handlers are the play's handlers in definition order.
	handlers []*handlerEntry
}

func (r *runner) newPlayCtx(pb *playbook.Playbook, play *playbook.Play) *playCtx {
	pc := &playCtx{pb: pb, play: play, c: compilePlay(play), varsFiles: map[string][]map[string]any{}}
	seen := map[*playbook.Role]bool{}
	for _, ri := range pc.c.roles {
		if seen[ri.role] {
			continue
		}
		seen[ri.role] = true
		pc.allDefaults = append(pc.allDefaults, ri.defaults()...)
		if ri.role.Vars != nil {
			pc.allRoleVars = append(pc.allRoleVars, ri.role.Vars)
		}
	}
	pc.hostvars = map[string]any{}
	pc.playMagic = map[string]any{
		"playbook_dir":      pb.Dir,
		"hostvars":          pc.hostvars,
		"ansible_play_name": play.DisplayName(),
	}
	pc.dynamic = map[string]any{}
	for _, h := range r.inv.Hosts() {
		hs := r.hostState(h)
		pc.hostvars[h.Name] = r.scope(pc, hs, nil)
	}
	return pc
}

// scope builds the variables a task sees on a host, lowest precedence
// first (Ansible's VariableManager.get_vars order). n may be nil for the
// play-level scope (hostvars, play name templating).
func (r *runner) scope(pc *playCtx, hs *hostState, n *node) *template.Scope {
	layers := make([]map[string]any, 0, 24)
	layers = append(layers, pc.allDefaults...)
	var ri *roleInst
	if n != nil {
		ri = n.role
	}
	if ri != nil {
		layers = append(layers, ri.defaults()...)
	}
	if hs.host != nil {
		layers = append(layers, r.inv.VarLayers(hs.host.Name)...)
	}
	layers = append(layers, hs.facts)
	if pc.play.Vars != nil {
		layers = append(layers, pc.play.Vars)
	}
	layers = append(layers, pc.varsFiles[hs.name]...)
	layers = append(layers, pc.allRoleVars...)
	if ri != nil {
		layers = append(layers, ri.vars()...)
	}
	if n != nil {
		for _, t := range n.chain() {
			if t.Vars != nil {
				layers = append(layers, t.Vars)
			}
		}
	}
	layers = append(layers, hs.nonpersistent)
	if ri != nil {
		layers = append(layers, ri.params()...)
	}
	if n != nil {
		// include params rank above role params and set_fact (Ansible's level 21).
		layers = append(layers, includeParams(n)...)
	}
	if r.opts.ExtraVars != nil {
		layers = append(layers, r.opts.ExtraVars)
	}
	layers = append(layers, hs.magic, pc.playMagic, pc.dynamic)
	if ri != nil {
		layers = append(layers, ri.magic)
	}
	if n != nil {
		// what lookups and with_first_found search (Ansible's job vars)
		sp := searchPath(pc, n)
		layers = append(layers, map[string]any{"ansible_search_path": stringsAny(sp)})
	}
	return template.NewScope(layers...)
}

// loadVarsFiles reads the play's vars_files for a host, templating the
// names against the play's variables. A missing file is an error, as in
// Ansible.
func (r *runner) loadVarsFiles(pc *playCtx, hs *hostState, cache map[string]map[string]any) error {
	if len(pc.play.VarsFiles) == 0 {
		return nil
	}
	sc := r.scope(pc, hs, nil)
	var layers []map[string]any
	for _, raw := range pc.play.VarsFiles {
		name, err := r.engine.RenderString(raw, sc)
		if err != nil {
			return fatalf("templating vars_files entry %q: %v", raw, err)
		}
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(pc.pb.Dir, path)
		}
		m, ok := cache[path]
		if !ok {
			m, ok = pc.preloaded[path]
		}
		if !ok {
			data, err := os.ReadFile(path)
			if err != nil {
				return fatalf("vars file %s was not found\nCould not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", name)
			}
			if m, err = r.decodeVarsFile(data, path); err != nil {
				return err
			}
			cache[path] = m
		}
		layers = append(layers, m)
	}
	pc.varsFiles[hs.name] = layers
	return nil
}

// decodeVarsFile reads a vars file with Ansible's typing, opening vaulted
// files and values with the run's secrets. Errors are fatal, worded as
// Ansible's.
func (r *runner) decodeVarsFile(data []byte, path string) (map[string]any, error) {
	v, err := yamlvars.Decode(data, path, yamlvars.Options{Secrets: r.opts.VaultSecrets})
	if err != nil {
		var fe *vault.FileError
		switch {
		case errors.Is(err, vault.ErrNoSecrets):
			return nil, fatalf("%s", vault.ErrNoSecrets.Error())
		case errors.As(err, &fe):
			return nil, fatalf("%s", fe.Error())
		}
		var ye *yamlvars.Error
		if errors.As(err, &ye) && ye.Syntax {
			return nil, fatalf("Syntax Error while loading YAML in vars file %s, line %d: %s", path, ye.Line, strings.TrimPrefix(ye.Msg, "yaml syntax error: "))
		}
		return nil, fatalf("%v", err)
	}
	switch t := v.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return t, nil
	}
	return nil, fatalf("vars file %s must hold a mapping of variables, got %s", path, kindOf(v))
}

// preloadVarsFiles reads the play's vars_files whose names need no
// templating before the play starts: Ansible reads them when it gathers
// the play's variables, so a file it cannot decrypt (or parse) stops the
// run before the play banner. Missing files are left to loadVarsFiles,
// which reports them per host as Ansible does.
func (r *runner) preloadVarsFiles(pc *playCtx) error {
	pc.preloaded = map[string]map[string]any{}
	for _, raw := range pc.play.VarsFiles {
		if template.IsTemplate(raw) {
			continue
		}
		path := raw
		if !filepath.IsAbs(path) {
			path = filepath.Join(pc.pb.Dir, path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		m, err := r.decodeVarsFile(data, path)
		if err != nil {
			return err
		}
		pc.preloaded[path] = m
	}
	return nil
}

func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case string:
		return "a string"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}
