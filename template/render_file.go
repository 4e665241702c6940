package template

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// FileOptions are the template module's rendering switches.
type FileOptions struct {
	TrimBlocks   bool           // Ansible's default for the template module is true
	LstripBlocks bool           // default false
	Vars         map[string]any // extra variables over the scope (template_path, ansible_managed...)
	// SearchPath is where {% include %} and friends find templates; nil: the template
	// module's, from the scope and Vars' template_fullpath (see fileSearchPath)
	SearchPath []string
}

// fileEngines render template files: backslashes in string literals are kept as written
// (Ansible's escape_backslashes=False) and the block handling is the task's; filters and
// tests are the same as every engine's.
var fileEngines sync.Map // [2]bool{trim, lstrip} → *Engine

// RenderFile renders the whole text of a template file, as the template module does: the
// result is text (never re-typed) and keeps its trailing newlines. The engine's own
// settings are not used: every engine has the same filters and tests.
func (e *Engine) RenderFile(text string, s *Scope, o FileOptions) (string, error) {
	if s == nil {
		s = NewScope()
	}
	fullpath, _ := o.Vars["template_fullpath"].(string)
	text, skipped, err := jinjaOverrides(text, &o)
	if err != nil {
		return "", &TemplateError{Source: text, Msg: err.Error(), File: fullpath}
	}
	key := [2]bool{o.TrimBlocks, o.LstripBlocks}
	v, ok := fileEngines.Load(key)
	if !ok {
		ne := New()
		ne.cfg.TrimBlocks = o.TrimBlocks
		ne.cfg.LeftStripBlocks = o.LstripBlocks
		ne.rawBackslashes = true
		v, _ = fileEngines.LoadOrStore(key, ne)
	}
	eng := v.(*Engine)
	paths := o.SearchPath
	if paths == nil && fullpath != "" {
		paths = fileSearchPath(s, fullpath, false)
	}
	if o.Vars != nil {
		s = s.Child(o.Vars)
	}
	if !IsTemplate(text) {
		return text, nil
	}
	out, _, err := eng.executeIn(text, s, nil, paths)
	if te, ok := err.(*TemplateError); ok && te.File == "" && fullpath != "" && te.Line > 0 {
		// a syntax error of the file itself: name it and its line (Ansible names
		// neither), counting the header line; other errors keep Ansible's exact text
		te.File = fullpath
		te.Text = te.lineText()
		te.Line += skipped
	}
	return out, err
}

// DefaultManaged is ansible.cfg's default ansible_managed string.
const DefaultManaged = "Ansible managed"

// AnsibleTemplateVars returns the variables Ansible adds when it renders a template file
// (generate_ansible_template_vars): template_host, template_path, template_fullpath,
// template_mtime, template_uid, template_run_date, template_destpath and ansible_managed.
// path is the source as the task names it, fullpath the file found on the controller,
// dest the destination ("" for none), managed the ansible_managed format ("" for the
// default); its {host}, {uid} and {file} are replaced and strftime codes expanded with
// the file's mtime.
func AnsibleTemplateVars(path, fullpath, dest, managed string) (map[string]any, error) {
	if fullpath == "" {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("template path %s: %w", path, err)
		}
		fullpath = abs
	}
	fi, err := os.Stat(fullpath)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", path, err)
	}
	host, _ := os.Hostname()
	uid := ""
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		uid = strconv.FormatUint(uint64(st.Uid), 10)
		if u, err := user.LookupId(uid); err == nil {
			uid = u.Username
		}
	}
	mtime := fi.ModTime()
	var destpath any
	if dest != "" {
		destpath = dest
	}
	if managed == "" {
		managed = DefaultManaged
	}
	managed = strings.NewReplacer("{host}", host, "{uid}", uid, "{file}", path).Replace(managed)
	return map[string]any{
		"template_host":     host,
		"template_path":     path,
		"template_fullpath": fullpath,
		"template_mtime":    pyDatetime(mtime),
		"template_uid":      uid,
		"template_run_date": pyDatetime(time.Now()),
		"template_destpath": destpath,
		"ansible_managed":   strftime(managed, mtime),
	}, nil
}

// pyDatetime is str() of a Python datetime.
func pyDatetime(t time.Time) string {
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// strftime expands the common C strftime codes.
func strftime(f string, t time.Time) string {
	if !strings.Contains(f, "%") {
		return f
	}
	codes := map[byte]string{
		'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05", 'y': "06",
		'b': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday", 'p': "PM", 'Z': "MST", 'z': "-0700",
		'I': "03",
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 >= len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		c := f[i]
		switch {
		case c == '%':
			b.WriteByte('%')
		case c == 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case c == 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case c == 'c':
			b.WriteString(t.Format("Mon Jan  2 15:04:05 2006"))
		case c == 'x':
			b.WriteString(t.Format("01/02/06"))
		case c == 'X':
			b.WriteString(t.Format("15:04:05"))
		default:
			if layout, ok := codes[c]; ok {
				b.WriteString(t.Format(layout))
			} else {
				b.WriteByte('%')
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// pythonEscapes prepares a template file's {{ }} string literals for gonja, which decodes
// them with Go's escapes: Python's unknown escapes ("\.") keep their backslash, so the
// backslash is doubled for them; known ones (\n, \t, \\, \x41...) are left to decode.
func pythonEscapes(src string) string {
	return rewriteLiterals(src, func(quote byte, body string, closed bool) string {
		var b strings.Builder
		b.WriteByte(quote)
		for j := 0; j < len(body); j++ {
			if body[j] != '\\' || j+1 >= len(body) {
				b.WriteByte(body[j])
				continue
			}
			if !strings.ContainsRune(`ntr\'"abfvxuU01234567`, rune(body[j+1])) {
				b.WriteByte('\\')
			}
			b.WriteByte('\\')
			b.WriteByte(body[j+1])
			j++
		}
		if closed {
			b.WriteByte(quote)
		}
		return b.String()
	})
}
