package template

import (
	"sort"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// A filter called with arguments its Python function does not take fails in Ansible with
// Python's TypeError, naming that function ("do_int() takes from 1 to 3 positional
// arguments but 5 were given"). gonja's built-ins ignore surplus arguments, so every
// filter's call is checked against its Python signature before it runs.

// pySig is the Python signature of a filter's function.
type pySig struct {
	fn       string   // the function's name as Python's messages give it
	lead     int      // parameters before the piped value (environment, context)
	params   []string // the parameters after the piped value
	required int      // how many of params have no default
	valueOpt bool     // the piped value's parameter has a default (regex_replace)
	builtin  bool     // a C function taking one argument: "takes exactly one argument"
}

func sigOf(fn string, lead int, required int, params ...string) pySig {
	return pySig{fn: fn, lead: lead, params: params, required: required}
}

// filterSigs holds the filters whose arguments are checked here; filters with *args
// (map, select, combine, ...) check their own.
var filterSigs = map[string]pySig{
	// Jinja2's
	"abs":            {fn: "abs", builtin: true},
	"attr":           sigOf("do_attr", 1, 1, "name"),
	"batch":          sigOf("do_batch", 0, 1, "linecount", "fill_with"),
	"capitalize":     sigOf("do_capitalize", 0, 0),
	"center":         sigOf("do_center", 0, 0, "width"),
	"count":          {fn: "len", builtin: true},
	"length":         {fn: "len", builtin: true},
	"d":              sigOf("do_default", 0, 0, "default_value", "boolean"),
	"default":        sigOf("do_default", 0, 0, "default_value", "boolean"),
	"dictsort":       sigOf("do_dictsort", 0, 0, "case_sensitive", "by", "reverse"),
	"e":              {fn: "markupsafe._speedups.escape", builtin: true},
	"escape":         {fn: "markupsafe._speedups.escape", builtin: true},
	"filesizeformat": sigOf("do_filesizeformat", 0, 0, "binary"),
	"first":          sigOf("sync_do_first", 1, 0),
	"float":          sigOf("do_float", 0, 0, "default"),
	"forceescape":    sigOf("do_forceescape", 0, 0),
	"groupby":        sigOf("sync_do_groupby", 1, 1, "attribute", "default", "case_sensitive"),
	"indent":         sigOf("do_indent", 0, 0, "width", "first", "blank"),
	"int":            sigOf("do_int", 0, 0, "default", "base"),
	"items":          sigOf("do_items", 0, 0),
	"join":           sigOf("sync_do_join", 1, 0, "d", "attribute"),
	"last":           sigOf("do_last", 1, 0),
	"list":           sigOf("sync_do_list", 0, 0),
	"lower":          sigOf("do_lower", 0, 0),
	"max":            sigOf("do_max", 1, 0, "case_sensitive", "attribute"),
	"min":            sigOf("do_min", 1, 0, "case_sensitive", "attribute"),
	"pprint":         sigOf("do_pprint", 0, 0),
	"replace":        sigOf("do_replace", 1, 2, "old", "new", "count"),
	"reverse":        sigOf("do_reverse", 0, 0),
	"round":          sigOf("do_round", 0, 0, "precision", "method"),
	"safe":           sigOf("do_mark_safe", 0, 0),
	"slice":          sigOf("sync_do_slice", 0, 1, "slices", "fill_with"),
	"sort":           sigOf("do_sort", 1, 0, "reverse", "case_sensitive", "attribute"),
	"string":         {fn: "markupsafe._speedups.soft_str", builtin: true},
	"striptags":      sigOf("do_striptags", 0, 0),
	"sum":            sigOf("sync_do_sum", 1, 0, "attribute", "start"),
	"title":          sigOf("do_title", 0, 0),
	"tojson":         sigOf("do_tojson", 1, 0, "indent"),
	"trim":           sigOf("do_trim", 0, 0, "chars"),
	"truncate":       sigOf("do_truncate", 1, 0, "length", "killwords", "end", "leeway"),
	"upper":          sigOf("do_upper", 0, 0),
	"urlencode":      sigOf("do_urlencode", 0, 0),
	"urlize":         sigOf("do_urlize", 1, 0, "trim_url_limit", "nofollow", "target", "rel", "extra_schemes"),
	"wordcount":      sigOf("do_wordcount", 0, 0),
	"wordwrap":       sigOf("do_wordwrap", 1, 0, "width", "break_long_words", "wrapstring", "break_on_hyphens"),
	"xmlattr":        sigOf("do_xmlattr", 1, 0, "autospace"),
	// Ansible's
	"b64decode":     sigOf("b64decode", 0, 0, "encoding"),
	"b64encode":     sigOf("b64encode", 0, 0, "encoding"),
	"bool":          sigOf("to_bool", 0, 0),
	"dict2items":    sigOf("dict_to_list_of_dict_key_value_elements", 0, 0, "key_name", "value_name"),
	"items2dict":    sigOf("list_of_dict_key_value_elements_to_dict", 0, 0, "key_name", "value_name"),
	"difference":    sigOf("difference", 1, 1, "b"),
	"intersect":     sigOf("intersect", 1, 1, "b"),
	"union":         sigOf("union", 1, 1, "b"),
	"flatten":       sigOf("flatten", 0, 0, "levels", "skip_nulls"),
	"from_yaml":     sigOf("from_yaml", 0, 0),
	"from_yaml_all": sigOf("from_yaml_all", 0, 0),
	"mandatory":     sigOf("mandatory", 0, 0, "msg"),
	"quote":         sigOf("quote", 0, 0),
	"random":        sigOf("rand", 1, 0, "start", "step", "seed"),
	"regex_replace": {fn: "regex_replace", params: []string{"pattern", "replacement", "ignorecase", "multiline"}, valueOpt: true},
	"shuffle":       sigOf("randomize_list", 0, 0, "seed"),
	"ternary":       sigOf("ternary", 0, 2, "true_val", "false_val", "none_val"),
	"type_debug":    sigOf("FilterModule.filters.<locals>.<lambda>", 0, 0),
	"unique":        sigOf("unique", 1, 0, "case_sensitive", "attribute"),
	"fileglob":      sigOf("fileglob", 0, 0),
}

// check fails as Python does when params do not fit s.
func (s pySig) check(params *exec.VarArgs) error {
	nargs, kw := 0, []string(nil)
	if params != nil {
		nargs = len(params.Args)
		for k := range params.KwArgs {
			kw = append(kw, k)
		}
	}
	sort.Strings(kw)
	if s.builtin {
		if len(kw) > 0 {
			return typeErrorf("%s() takes no keyword arguments", s.fn)
		}
		if nargs > 0 {
			return typeErrorf("%s() takes exactly one argument (%d given)", s.fn, nargs+1)
		}
		return nil
	}
	for _, k := range kw {
		i := indexOf(s.params, k)
		if i < 0 {
			return typeErrorf("%s() got an unexpected keyword argument '%s'", s.fn, k)
		}
		if i < nargs {
			return typeErrorf("%s() got multiple values for argument '%s'", s.fn, k)
		}
	}
	given := s.lead + 1 + nargs
	max := s.lead + 1 + len(s.params)
	if given > max {
		min := s.lead + 1 + s.required
		if s.valueOpt {
			min = s.lead
		}
		if min == max {
			return typeErrorf("%s() takes %d positional argument%s but %d were given", s.fn, max, plural(max), given)
		}
		return typeErrorf("%s() takes from %d to %d positional arguments but %d were given", s.fn, min, max, given)
	}
	var missing []string
	for i := nargs; i < s.required; i++ {
		if _, ok := params.KwArgs[s.params[i]]; !ok {
			missing = append(missing, "'"+s.params[i]+"'")
		}
	}
	if len(missing) > 0 {
		return typeErrorf("%s() missing %d required positional argument%s: %s", s.fn, len(missing), plural(len(missing)), pyNames(missing))
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// pyNames joins quoted names as Python's argument errors do: 'a', 'b', and 'c'.
func pyNames(names []string) string {
	switch n := len(names); n {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	default:
		return strings.Join(names[:n-1], ", ") + ", and " + names[n-1]
	}
}

// checkSig is the signature check guardFilter runs before a filter.
func checkSig(name string, params *exec.VarArgs) error {
	s, ok := filterSigs[name]
	if !ok {
		return nil
	}
	if err := s.check(params); err != nil {
		return &filterError{kind: "filter", name: name, err: err}
	}
	return nil
}
