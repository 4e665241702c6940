package executor

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
	"github.com/gossible/gossible/internal/yamlvars"
	"github.com/gossible/gossible/playbook"
	"github.com/gossible/gossible/template"
	"github.com/gossible/gossible/vault"
)

// loadVarsFiles reads the play's vars_files for a host, templating the
// names against the play's variables. Of an entry's alternatives the
// first file that exists is loaded; none existing is an error, as in
// Ansible.
func (r *runner) loadVarsFiles(pc *playCtx, hs *hostState, cache map[string]map[string]any) error {
	if len(pc.play.VarsFiles) == 0 {
		return nil
	}
	sc := r.scope(pc, hs, nil)
	var layers []map[string]any
	for _, vf := range pc.play.VarsFiles {
		m, err := r.loadVarsFile(pc, vf, sc, cache)
		if err != nil {
			return err
		}
		layers = append(layers, m)
	}
	pc.varsFiles[hs.name] = layers
	return nil
}

// loadVarsFile loads the first existing file of one vars_files entry.
func (r *runner) loadVarsFile(pc *playCtx, vf playbook.VarsFile, sc *template.Scope, cache map[string]map[string]any) (map[string]any, error) {
	for _, raw := range vf.Names {
		name, err := r.engine.RenderString(raw, sc)
		if err != nil {
			return nil, fatalf("templating vars_files entry %q: %v", raw, err)
		}
		path := varsFilePath(pc, name)
		if m, ok := cache[path]; ok {
			return m, nil
		}
		if m, ok := pc.preloaded[path]; ok {
			cache[path] = m
			return m, nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // Ansible tries the next alternative
		}
		m, err := r.decodeVarsFile(data, path)
		if err != nil {
			return nil, err
		}
		cache[path] = m
		return m, nil
	}
	// Ansible names the entry as written: untemplated, a list as Python prints it.
	entry := vf.Names[0]
	if vf.List {
		entry = pyfmt.Repr(stringsAny(vf.Names))
	}
	return nil, fatalf("vars file %s was not found\nCould not find file on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", entry)
}

func varsFilePath(pc *playCtx, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(pc.pb.Dir, name)
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
// run before the play banner. Of an entry's alternatives only the first
// existing one is read, and none past a templated name (which may name a
// file that exists). Missing files are left to loadVarsFiles, which
// reports them per host as Ansible does.
func (r *runner) preloadVarsFiles(pc *playCtx) error {
	pc.preloaded = map[string]map[string]any{}
	for _, vf := range pc.play.VarsFiles {
		for _, raw := range vf.Names {
			if template.IsTemplate(raw) {
				break
			}
			path := varsFilePath(pc, raw)
			data, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			m, err := r.decodeVarsFile(data, path)
			if err != nil {
				return err
			}
			pc.preloaded[path] = m
			break
		}
	}
	return nil
}
