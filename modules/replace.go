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
	Path       string  `arg:"path,dest,destfile,name"`
	Regexp     string  `arg:"regexp"`
	Replace    string  `arg:"replace"`
	After      *string `arg:"after"`
	Before     *string `arg:"before"`
	Backup     bool    `arg:"backup"`
	Validate   string  `arg:"validate"`
	Encoding   string  `arg:"encoding"`
	Mode       any     `arg:"mode"`
	Owner      string  `arg:"owner"`
	Group      string  `arg:"group"`
	Attributes string  `arg:"attributes,attr"`
	SELevel    string  `arg:"selevel"`
	SERole     string  `arg:"serole"`
	SEType     string  `arg:"setype"`
	SEUser     string  `arg:"seuser"`
	Unsafe     bool    `arg:"unsafe_writes"`
}

type replaceModule struct{}

// Run implements ansible.builtin.replace: re.subn over the whole file (or
// the section between after and before) in MULTILINE mode, written back
// through editFile when the text changed.
func (replaceModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	if r := requireArgs(raw, "path,dest,destfile,name", "regexp"); r != nil {
		return r, nil
	}
	var a replaceArgs
	if err := decodeArgs("replace", raw, &a); err != nil {
		return failed(err.Error()), nil
	}
	if r := unsupportedAttrs(a.Attributes, a.SELevel, a.SERole, a.SEType, a.SEUser); r != nil {
		return r, nil
	}
	switch strings.ToLower(strings.ReplaceAll(a.Encoding, "_", "-")) {
	case "", "utf-8", "utf8", "ascii", "us-ascii":
	default:
		return failed(fmt.Sprintf("gossible does not support encoding=%s (only utf-8)", a.Encoding)), nil
	}
	o := editOpts{attrs: fileAttrs{Mode: a.Mode, Owner: a.Owner, Group: a.Group}, validate: a.Validate, backup: a.Backup}
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
	exp, err := expandArgs(ctx, env, []string{a.Path})
	if err != nil {
		return nil, err
	}
	a.Path = exp[0]
	f, err := openEdit(ctx, env, a.Path, a.Owner, a.Group)
	if err != nil {
		return nil, err
	}
	if f.isDir {
		return pathRC(fmt.Sprintf("Path %s is a directory !", a.Path), 256), nil
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
	before, after := map[string]any{}, map[string]any{}
	changed, msg, backup, fail, err := f.commit(ctx, env, changed, msg, data, o, before, after)
	if fail != nil || err != nil {
		return fail, err
	}
	if backup != "" {
		r["backup_file"] = backup
	}
	r["changed"], r["msg"] = changed, msg
	return r, nil
}
