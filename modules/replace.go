package modules

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.replace", New: func() Module { return replaceModule{} }})
}

type replaceArgs struct {
	Regexp   string  `arg:"regexp"`
	Replace  string  `arg:"replace"`
	After    *string `arg:"after"`
	Before   *string `arg:"before"`
	Encoding string  `arg:"encoding"`
	editArgs
}

type replaceModule struct{}

// Run implements ansible.builtin.replace: re.subn over the whole file (or
// the section between after and before) in MULTILINE mode, written back
// through editFile when the text changed.
func (replaceModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a replaceArgs
	if r := parseArgs("replace", raw, &a, editPathSpec, "regexp"); r != nil {
		return r, nil
	}
	if r := a.unsupported(); r != nil {
		return r, nil
	}
	switch strings.ToLower(strings.ReplaceAll(a.Encoding, "_", "-")) {
	case "", "utf-8", "utf8", "ascii", "us-ascii":
	default:
		return failed(fmt.Sprintf("gossible does not support encoding=%s (only utf-8)", a.Encoding)), nil
	}
	o := a.opts()
	if r := checkEditOpts(o); r != nil {
		return r, nil
	}
	re, err := pyRegexp(a.Regexp, reMultiline)
	if err != nil {
		return failed(err.Error()), nil
	}
	tmpl, err := parsePyTemplate(re, a.Replace)
	if err != nil {
		return failed(err.Error()), nil
	}
	pattern := ""
	switch {
	case a.After != nil && a.Before != nil:
		pattern = *a.After + "(?P<subsection>.*?)" + *a.Before
	case a.After != nil:
		pattern = *a.After + "(?P<subsection>.*)"
	case a.Before != nil:
		pattern = "(?P<subsection>.*)" + *a.Before
	}
	var section *regexp.Regexp
	if pattern != "" {
		g, err := translatePyRe(pattern, false)
		if err != nil {
			return failed(err.Error()), nil
		}
		if section, err = regexp.Compile("(?s)" + g); err != nil {
			return failed(fmt.Sprintf("invalid regular expression %q: %v", pattern, err)), nil
		}
	}
	f, fail, err := a.open(ctx, env)
	if fail != nil || err != nil {
		return fail, err
	}
	if !f.exists {
		return pathRC(fmt.Sprintf("Path %s does not exist !", a.Path), 257), nil
	}
	contents := f.data
	r := Result{"rc": 0}
	var diff map[string]any
	if env.Diff {
		diff = map[string]any{"before_header": a.Path, "before": string(contents)}
	}
	text := contents
	lo, hi := 0, len(contents)
	msg := ""
	if section != nil {
		m := section.FindSubmatchIndex(contents)
		if m == nil {
			msg = "Pattern for before/after params did not match the given file: " + pattern
			lo, hi = 0, 0
		} else {
			g := section.SubexpIndex("subsection")
			lo, hi = m[2*g], m[2*g+1]
		}
		text = contents[lo:hi]
	}
	out, n := pySubn(re, tmpl, text)
	changed := n > 0 && !bytes.Equal(out, text)
	var data []byte
	if changed {
		data = append(append(append([]byte{}, contents[:lo]...), out...), contents[hi:]...)
		msg = fmt.Sprintf("%d replacements made", n)
		if diff != nil {
			diff["after_header"] = a.Path
			diff["after"] = string(data)
			r["diff"] = diff
		}
	}
	c, fail, err := f.commit(ctx, env, changed, msg, data, o)
	if fail != nil || err != nil {
		return fail, err
	}
	if c.backup != "" {
		r["backup_file"] = c.backup
	}
	r["changed"], r["msg"] = c.changed, c.msg
	return r, nil
}
