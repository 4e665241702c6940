package modules

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/template"
)

func init() {
	Register(Info{Name: "ansible.builtin.template", New: func() Module { return templateModule{} }})
}

// RenderOptions are the template module's Jinja2 switches for Env.Render.
type RenderOptions struct {
	TrimBlocks   bool           // trim_blocks (the module's default: true)
	LstripBlocks bool           // lstrip_blocks (default: false)
	Vars         map[string]any // template_host, template_path, ansible_managed...: over the task's variables
}

// templateOnly are the arguments the template action consumes; the others go to copy.
var templateOnly = []string{"newline_sequence", "trim_blocks", "lstrip_blocks", "output_encoding",
	"block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
	"comment_start_string", "comment_end_string"}

type templateModule struct{}

// Run implements ansible.builtin.template as Ansible's action plugin does: the source is
// found in the role's templates/ (Env.FindFile), rendered on the controller with the task's
// variables plus Ansible's template_* variables, written to a controller temp file named
// like the source, and handed to copy with the remaining arguments, so the result lands
// atomically with copy's checksum idempotency, check, diff, backup and validate.
func (templateModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	for _, k := range []string{"src", "dest", "state", "newline_sequence"} {
		if v, ok := raw[k]; ok && v != nil {
			if _, isStr := v.(string); !isStr {
				return failed(fmt.Sprintf("%s is expected to be a string, but got %s instead", k, pyClass(v))), nil
			}
		}
	}
	for _, k := range []string{"block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string", "comment_end_string"} {
		if v, ok := raw[k]; ok && v != nil {
			return failed(fmt.Sprintf("gossible does not support the template option %s (templates use Jinja2's default delimiters)", k)), nil
		}
	}
	if enc, ok := raw["output_encoding"]; ok && enc != nil {
		if s := strings.ToLower(fmt.Sprint(enc)); s != "" && s != "utf-8" && s != "utf8" {
			return failed(fmt.Sprintf("gossible does not support output_encoding=%v (only utf-8)", enc)), nil
		}
	}
	opts := RenderOptions{TrimBlocks: true}
	var follow bool
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"follow", &follow}, {"trim_blocks", &opts.TrimBlocks}, {"lstrip_blocks", &opts.LstripBlocks}} {
		v, ok := raw[b.name]
		if !ok || v == nil {
			continue
		}
		bv, err := toBool(v)
		if err != nil {
			return failed(err.Error()), nil
		}
		*b.dst = bv
	}
	src, _ := raw["src"].(string)
	dest, _ := raw["dest"].(string)
	newline := "\n"
	if v, ok := raw["newline_sequence"].(string); ok {
		newline = v
	}
	// the escaped spellings a playbook may hold
	switch newline {
	case `\n`:
		newline = "\n"
	case `\r`:
		newline = "\r"
	case `\r\n`:
		newline = "\r\n"
	}
	switch {
	case raw["state"] != nil:
		return failed("'state' cannot be specified on a template"), nil
	case src == "" || dest == "":
		return failed("src and dest are required"), nil
	case newline != "\n" && newline != "\r" && newline != "\r\n":
		return failed("newline_sequence needs to be one of: \n, \r or \r\n"), nil
	}
	found, err := findTemplate(env, src)
	if err != nil {
		return failed(err.Error()), nil
	}
	fi, err := os.Stat(found)
	if err != nil {
		return failed(fmt.Sprintf("could not find src=%s, %v", found, err)), nil
	}
	data, err := os.ReadFile(found)
	if err != nil {
		return failed(fmt.Sprintf("could not find src=%s, %v", found, err)), nil
	}
	if env.Render == nil {
		return nil, errors.New("template module: the executor gave no Env.Render")
	}
	vars, err := template.AnsibleTemplateVars(src, found, dest, "")
	if err != nil {
		return failed(err.Error()), nil
	}
	opts.Vars = vars
	text, err := env.Render(string(data), opts)
	if err != nil {
		return failed(renderFailure(err)), nil
	}
	if newline != "\n" {
		// Jinja2 writes the template's own line ends as newline_sequence; gossible converts
		// every "\n" of the result, including any inside variable values.
		text = strings.ReplaceAll(text, "\n", newline)
	}
	tmpDir, err := os.MkdirTemp("", "gossible-template-")
	if err != nil {
		return nil, fmt.Errorf("template temp dir: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	rendered := filepath.Join(tmpDir, path.Base(found))
	if err := os.WriteFile(rendered, []byte(text), 0o600); err != nil {
		return nil, fmt.Errorf("write rendered template: %w", err)
	}
	args := map[string]any{}
	for k, v := range raw {
		args[k] = v
	}
	for _, k := range templateOnly {
		delete(args, k)
	}
	if raw["mode"] == "preserve" {
		args["mode"] = fmt.Sprintf("0%03o", fi.Mode().Perm())
	}
	args["src"] = rendered
	args["follow"] = follow
	r, err := copyModule{}.Run(ctx, env, args)
	if err == nil && r["failed"] == true && r["checksum"] == nil {
		if msg, _ := r["msg"].(string); strings.HasPrefix(msg, "Unsupported parameters") {
			// copy's action plugin has summed the source before the module refuses
			r["checksum"] = sha1hex([]byte(text))
		}
	}
	return r, err
}

// findTemplate resolves src in the role's or play's templates/ on the controller.
func findTemplate(env *Env, src string) (string, error) {
	if path.IsAbs(src) {
		if _, err := os.Stat(src); err != nil {
			return "", fmt.Errorf("Could not find or access '%s' on the Ansible Controller.", src)
		}
		return src, nil
	}
	if env.FindFile == nil {
		return "", fmt.Errorf("Could not find or access '%s': no search path for templates on the controller", src)
	}
	return env.FindFile("templates", src)
}

// renderFailure words a rendering error as the template action does: the Python class of
// the exception, then its message, which repeats the wrapped Jinja2 error's.
func renderFailure(err error) string {
	var u *template.UndefinedError
	if errors.As(err, &u) {
		return "AnsibleUndefinedVariable: " + err.Error() + ". " + err.Error()
	}
	var nf *template.TemplateNotFoundError
	if errors.As(err, &nf) {
		return "TemplateNotFound: " + nf.Name
	}
	return "AnsibleError: " + err.Error()
}

// pyClass is Python's "<class 'int'>" for a value's type.
func pyClass(v any) string { return "<class '" + pyType(v) + "'>" }
