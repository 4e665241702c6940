package template

import (
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// file, first_found, fileglob and template: controller files found through the search path.

func init() {
	registerLookup(lookupFile, "file")
	registerLookup(lookupFirstFound, "first_found")
	registerLookup(lookupFileglob, "fileglob")
	registerLookup(lookupTemplate, "template")
}

// boolOpt reads a boolean plugin option as Ansible's config does (yes/no/true/1...).
func boolOpt(kw map[string]any, name string, def bool) (bool, error) {
	v, ok := kw[name]
	if !ok || v == nil {
		return def, nil
	}
	switch t := v.(type) {
	case bool:
		return t, nil
	case int:
		return t != 0, nil
	case string:
		switch strings.ToLower(t) {
		case "y", "yes", "on", "1", "true", "t":
			return true, nil
		case "n", "no", "off", "0", "false", "f", "":
			return false, nil
		}
	}
	return false, errf("Invalid type for configuration option %s: %s is not a valid boolean", name, pyStr(v))
}

func lookupFile(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	rstrip, err := boolOpt(kw, "rstrip", true)
	if err != nil {
		return nil, err
	}
	lstrip, err := boolOpt(kw, "lstrip", false)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, t := range terms {
		term := pyStr(t)
		p, ok, err := lc.findFile("files", term)
		if err != nil {
			return nil, err
		}
		var data []byte
		if ok {
			data, err = os.ReadFile(p)
		}
		if !ok || err != nil {
			return nil, errf("could not locate file in lookup: %s", term)
		}
		if data, err = lc.e.openVaulted(p, data); err != nil {
			return nil, err
		}
		if !utf8.Valid(data) {
			return nil, errf("'utf-8' codec can't decode the file %s", p)
		}
		s := string(data)
		if lstrip {
			s = strings.TrimLeft(s, pyWhitespace)
		}
		if rstrip {
			s = strings.TrimRight(s, pyWhitespace)
		}
		out = append(out, s)
	}
	return out, nil
}

// pyWhitespace is what Python's str.strip() removes (ASCII part).
const pyWhitespace = " \t\n\r\v\f\x1c\x1d\x1e\x1f\x85"

// splitKeep splits s on any of chars keeping empty parts, as Python's generator does.
func splitKeep(s, chars string) []string {
	var out []string
	cur := ""
	for _, r := range s {
		if strings.ContainsRune(chars, r) {
			out = append(out, cur)
			cur = ""
			continue
		}
		cur += string(r)
	}
	return append(out, cur)
}

func splitList(v any, chars string) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return splitKeep(t, chars)
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, splitList(e, chars)...)
		}
		return out
	}
	return splitKeep(pyStr(v), chars)
}

func lookupFirstFound(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	search, skip, err := firstFoundTerms(terms, kw)
	if err != nil {
		return nil, err
	}
	for _, fn := range search {
		r, err := lc.e.renderPlain(fn, lc.s, lc.chain)
		if err != nil {
			if errorIn[*UndefinedError](err) != nil {
				continue
			}
			return nil, err
		}
		p, ok, err := lc.find("files", pyStr(r), false)
		if err != nil {
			return nil, err
		}
		if ok {
			return []any{p}, nil
		}
	}
	if skip {
		return []any{}, nil
	}
	return nil, &handledErr{"No file was found when using first_found."}
}

// firstFoundTerms is first_found's _process_terms: a mapping term brings its own files,
// paths and skip; a string term takes them from the keyword options; lists recurse.
func firstFoundTerms(terms []any, kw map[string]any) (search []string, skip bool, err error) {
	for _, term := range terms {
		var opts map[string]any
		switch t := term.(type) {
		case map[string]any:
			opts = t
		case string:
			opts = kw
		case []any:
			partial, sk, err := firstFoundTerms(t, kw)
			if err != nil {
				return nil, false, err
			}
			search = append(search, partial...)
			skip = sk
			continue
		default:
			return nil, false, &handledErr{"Invalid term supplied, can handle string, mapping or list of strings but got: <class '" + typeName(term) + "'> for " + pyStr(term)}
		}
		if skip, err = boolOpt(opts, "skip", false); err != nil {
			return nil, false, err
		}
		files := splitList(opts["files"], ",;")
		paths := splitList(opts["paths"], ",:;")
		switch {
		case len(paths) > 0:
			for _, p := range paths {
				for _, f := range files {
					search = append(search, pyJoin(p, f))
				}
			}
		case len(files) > 0:
			search = files
		default:
			if s, ok := term.(string); ok {
				search = append(search, s)
			}
		}
	}
	return search, skip, nil
}

func lookupFileglob(lc *lookupCtx, terms []any, _ map[string]any) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		term := pyStr(t)
		base := filepath.Base(term)
		if strings.HasSuffix(term, "/") {
			base = ""
		}
		var dirs []string
		if base != term {
			dir := filepath.Dir(term)
			if strings.HasSuffix(term, "/") {
				dir = strings.TrimSuffix(term, "/")
			}
			if p, ok, err := lc.findFile("files", dir); err != nil {
				return nil, err
			} else if ok {
				dirs = append(dirs, p)
			}
		} else {
			paths, err := lc.searchPaths()
			if err != nil {
				return nil, err
			}
			for _, p := range paths {
				dirs = append(dirs, pyJoin(p, "files"), p)
			}
		}
		for _, d := range dirs {
			if found := fileglob(pyJoin(d, base)); len(found) > 0 {
				out = append(out, found...)
				break
			}
		}
	}
	return out, nil
}

func lookupTemplate(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	convert, err := boolOpt(kw, "convert_data", true)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"variable_start_string", "variable_end_string", "comment_start_string", "comment_end_string"} {
		if _, ok := kw[k]; ok {
			return nil, errf("the template lookup option %s is not supported by gossible", k)
		}
	}
	extra := map[string]any{}
	if tv, ok := kw["template_vars"]; ok && tv != nil {
		m, ok := tv.(map[string]any)
		if !ok {
			return nil, errf("Invalid type for configuration option template_vars: %s is not a dict", pyStr(tv))
		}
		extra = m
	}
	var out []any
	for _, t := range terms {
		term := pyStr(t)
		p, ok, err := lc.findFile("templates", term)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errf("the template file %s could not be found for the lookup", term)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, errf("the template file %s could not be read: %v", term, err)
		}
		layer, err := AnsibleTemplateVars(term, p, "", "")
		if err != nil {
			return nil, err
		}
		for k, v := range extra {
			layer[k] = v
		}
		// like the template module: backslashes as written, Ansible's trim_blocks
		text, err := lc.e.RenderFile(string(data), lc.s, FileOptions{TrimBlocks: true, Vars: layer, SearchPath: fileSearchPath(lc.s, p, true)})
		if err != nil {
			return nil, err
		}
		if convert {
			out = append(out, text)
		} else {
			out = append(out, nativeText(text))
		}
	}
	return out, nil
}
