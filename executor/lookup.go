package executor

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gossible/gossible/output/pyfmt"
)

// lookupItems turns the loop's rendered value into items, as the with_
// lookup of that name does (loop: takes a list as it is).
func (r *runner) lookupItems(pc *playCtx, n *node, kind string, v any) ([]any, error) {
	switch kind {
	case "loop":
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("Invalid data passed to 'loop', it requires a list, got this instead: %s. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.", pyfmt.Str(v))
		}
		return l, nil
	case "items":
		return flattenOnce(v), nil
	case "list":
		if l, ok := v.([]any); ok {
			return l, nil
		}
		return []any{v}, nil
	case "flattened":
		return flattenAll(listify(v)), nil
	case "dict":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("with_dict expects a dict")
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = map[string]any{"key": k, "value": m[k]}
		}
		return out, nil
	case "indexed_items":
		l := flattenOnce(v)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = []any{i, e}
		}
		return out, nil
	case "together":
		return together(listify(v))
	case "nested", "cartesian":
		return nested(listify(v))
	case "subelements":
		return subelements(listify(v))
	case "sequence":
		return sequence(listify(v))
	case "random_choice":
		l := listify(v)
		if len(l) == 0 {
			return []any{}, nil
		}
		return []any{l[rand.IntN(len(l))]}, nil
	case "fileglob":
		return fileglob(pc, n, listify(v))
	case "first_found":
		return firstFound(pc, n, listify(v))
	case "file", "lines":
		return fileTerms(pc, n, kind, listify(v))
	case "env":
		var out []any
		for _, t := range listify(v) {
			out = append(out, os.Getenv(fmt.Sprint(t)))
		}
		return out, nil
	case "inventory_hostnames":
		var out []any
		for _, t := range listify(v) {
			hs, err := r.inv.Select(fmt.Sprint(t))
			if err != nil {
				return nil, err
			}
			for _, h := range hs {
				out = append(out, h.Name)
			}
		}
		return orEmpty(out), nil
	}
	return nil, fmt.Errorf("with_%s is not supported by gossible; use loop: with a list (or a filter) instead", kind)
}

func listify(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return []any{}
	}
	return []any{v}
}

func flattenAll(l []any) []any {
	out := []any{}
	for _, e := range l {
		if sub, ok := e.([]any); ok {
			out = append(out, flattenAll(sub)...)
			continue
		}
		if e == nil {
			continue
		}
		out = append(out, e)
	}
	return out
}

// together zips lists, padding the shorter ones with None.
func together(terms []any) ([]any, error) {
	if len(terms) == 0 {
		return nil, fmt.Errorf("with_together requires at least one element in each list")
	}
	longest := 0
	lists := make([][]any, len(terms))
	for i, t := range terms {
		lists[i] = listify(t)
		longest = max(longest, len(lists[i]))
	}
	out := make([]any, longest)
	for i := range out {
		row := make([]any, len(lists))
		for j, l := range lists {
			if i < len(l) {
				row[j] = l[i]
			}
		}
		out[i] = row
	}
	return out, nil
}

// nested is the cartesian product of the lists, each item a flat list.
func nested(terms []any) ([]any, error) {
	if len(terms) == 0 {
		return nil, fmt.Errorf("with_nested requires at least one element in the nested list")
	}
	out := []any{[]any{}}
	for _, t := range terms {
		var next []any
		for _, prefix := range out {
			for _, e := range listify(t) {
				row := append(append([]any{}, prefix.([]any)...), e)
				next = append(next, row)
			}
		}
		out = next
	}
	return orEmpty(out), nil
}

// subelements pairs each element of a list of dicts with each item of its
// named sub-list: [dict, subitem].
func subelements(terms []any) ([]any, error) {
	if len(terms) < 2 || len(terms) > 3 {
		return nil, fmt.Errorf("subelements lookup expects a list of two or three items")
	}
	key, ok := terms[1].(string)
	if !ok {
		return nil, fmt.Errorf("the key of subelements must be a string, got %v", terms[1])
	}
	skipMissing := false
	if len(terms) == 3 {
		if flags, ok := terms[2].(map[string]any); ok {
			skipMissing, _ = flags["skip_missing"].(bool)
		}
	}
	var out []any
	for _, e := range listify(terms[0]) {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("subelements lookup expects a list of dictionaries, got %v", e)
		}
		sub, ok := m[key]
		if !ok {
			if skipMissing {
				continue
			}
			return nil, fmt.Errorf("could not find '%s' key in iterated item '%s'", key, pyfmt.Str(m))
		}
		// The parent goes without the sub-list, as Ansible's copy does.
		parent := make(map[string]any, len(m))
		for k, v := range m {
			if k != key {
				parent[k] = v
			}
		}
		for _, s := range listify(sub) {
			out = append(out, []any{parent, s})
		}
	}
	return orEmpty(out), nil
}

// sequence is the sequence lookup: "start=1 end=10 stride=1 format=%d",
// "count=N", or the shortcut "[start-]end[/stride][:format]".
func sequence(terms []any) ([]any, error) {
	var out []any
	for _, t := range terms {
		start, end, stride, count, format := 1, 0, 1, -1, "%d"
		s := strings.TrimSpace(fmt.Sprint(t))
		if strings.Contains(s, "=") {
			for _, kv := range strings.Fields(s) {
				k, val, _ := strings.Cut(kv, "=")
				if k == "format" {
					format = val
					continue
				}
				n, err := strconv.ParseInt(val, 0, 64)
				if err != nil {
					return nil, fmt.Errorf("can't parse %s=%s as integer", k, val)
				}
				switch k {
				case "start":
					start = int(n)
				case "end":
					end = int(n)
				case "stride":
					stride = int(n)
				case "count":
					count = int(n)
				default:
					return nil, fmt.Errorf("unrecognized arguments to with_sequence: %s", k)
				}
			}
		} else {
			if i := strings.IndexByte(s, ':'); i >= 0 {
				s, format = s[:i], s[i+1:]
			}
			if i := strings.IndexByte(s, '/'); i >= 0 {
				n, err := strconv.Atoi(s[i+1:])
				if err != nil {
					return nil, fmt.Errorf("can't parse arguments for with_sequence: %s", t)
				}
				s, stride = s[:i], n
			}
			if i := strings.IndexByte(s, '-'); i > 0 {
				n, err := strconv.Atoi(s[:i])
				if err != nil {
					return nil, fmt.Errorf("can't parse arguments for with_sequence: %s", t)
				}
				s, start = s[i+1:], n
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("can't parse arguments for with_sequence: %s", t)
			}
			end = n
		}
		if count >= 0 {
			end = start + (count-1)*stride
		}
		if stride == 0 {
			return nil, fmt.Errorf("stride of with_sequence must not be 0")
		}
		for i := start; (stride > 0 && i <= end) || (stride < 0 && i >= end); i += stride {
			out = append(out, fmt.Sprintf(format, i))
		}
	}
	return orEmpty(out), nil
}

// searchDirs are where controller lookups look for a relative file.
func searchDirs(pc *playCtx, n *node) []string {
	var dirs []string
	if n.role != nil {
		dirs = append(dirs, filepath.Join(n.role.role.Path, "files"), n.role.role.Path)
	}
	return append(dirs, filepath.Join(pc.pb.Dir, "files"), pc.pb.Dir)
}

func fileglob(pc *playCtx, n *node, terms []any) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		pat := fmt.Sprint(t)
		dirs := []string{""}
		if !filepath.IsAbs(pat) {
			dirs = searchDirs(pc, n)
		}
		for _, d := range dirs {
			matches, err := filepath.Glob(filepath.Join(d, pat))
			if err != nil {
				return nil, fmt.Errorf("bad fileglob pattern %q: %v", pat, err)
			}
			if len(matches) == 0 {
				continue
			}
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
					out = append(out, m)
				}
			}
			break
		}
	}
	return out, nil
}

func firstFound(pc *playCtx, n *node, terms []any) ([]any, error) {
	var names []string
	for _, t := range flattenAll(terms) {
		if m, ok := t.(map[string]any); ok {
			for _, f := range listify(m["files"]) {
				for _, p := range listify(m["paths"]) {
					names = append(names, filepath.Join(fmt.Sprint(p), fmt.Sprint(f)))
				}
				if len(listify(m["paths"])) == 0 {
					names = append(names, fmt.Sprint(f))
				}
			}
			continue
		}
		names = append(names, fmt.Sprint(t))
	}
	for _, name := range names {
		cands := []string{name}
		if !filepath.IsAbs(name) {
			cands = nil
			for _, d := range searchDirs(pc, n) {
				cands = append(cands, filepath.Join(d, name))
			}
		}
		for _, c := range cands {
			if _, err := os.Stat(c); err == nil {
				return []any{c}, nil
			}
		}
	}
	return nil, fmt.Errorf("No file was found when using first_found.")
}

func fileTerms(pc *playCtx, n *node, kind string, terms []any) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		name := fmt.Sprint(t)
		if kind == "lines" {
			cmd := exec.Command("/bin/sh", "-c", name)
			cmd.Dir = pc.pb.Dir
			b, err := cmd.Output()
			if err != nil {
				return nil, fmt.Errorf("lookup_plugin.lines(%s) returned %v", name, err)
			}
			for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
				out = append(out, l)
			}
			continue
		}
		path := name
		if !filepath.IsAbs(name) {
			path = ""
			for _, d := range searchDirs(pc, n) {
				if _, err := os.Stat(filepath.Join(d, name)); err == nil {
					path = filepath.Join(d, name)
					break
				}
			}
		}
		b, err := os.ReadFile(path)
		if path == "" || err != nil {
			return nil, fmt.Errorf("could not locate file in lookup: %s", name)
		}
		out = append(out, strings.TrimRight(string(b), "\n"))
	}
	return out, nil
}
