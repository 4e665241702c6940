package template

import (
	"crypto/rand"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// password: a random password kept in a controller file. The file is created (mode 0600,
// its directory 0700) with a password of length chosen from chars when missing, and read
// back when present, so a play gets the same password every run.

func init() {
	registerLookup(lookupPassword, "password")
}

// passwordMu serialises the read-or-create of password files: forks rendering the same
// lookup for many hosts must all get the one password (Ansible uses a lock file).
var passwordMu sync.Mutex

// Python's string module constants that chars= may name.
var pyStringSets = map[string]string{
	"ascii_letters":   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"ascii_lowercase": "abcdefghijklmnopqrstuvwxyz",
	"ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"digits":          "0123456789",
	"hexdigits":       "0123456789abcdefABCDEF",
	"octdigits":       "01234567",
	"punctuation":     "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
	"whitespace":      " \t\n\r\x0b\x0c",
	"printable":       "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c",
}

var passwordParams = map[string]bool{"length": true, "encrypt": true, "chars": true, "ident": true, "seed": true}

func lookupPassword(lc *lookupCtx, terms []any, kw map[string]any) ([]any, error) {
	var out []any
	for _, t := range terms {
		term := pyStr(t)
		rel, params, err := passwordParamsOf(term, kw)
		if err != nil {
			return nil, err
		}
		for _, k := range []string{"encrypt", "ident", "seed"} {
			if v, ok := params[k]; ok && v != nil && v != "" {
				return nil, errf("the password lookup option %s is not supported by gossible", k)
			}
		}
		length, err := pyIntValue(params["length"])
		if err != nil {
			return nil, err
		}
		chars := passwordChars(params["chars"])
		if chars == "" {
			return nil, errf("password lookup: chars selects no characters")
		}
		p := unfrack(pyJoin(lc.basedir(), rel))
		if strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, "~") {
			p = unfrack(rel)
		}
		pw, err := readOrCreatePassword(p, length, chars)
		if err != nil {
			return nil, err
		}
		out = append(out, pw)
	}
	return out, nil
}

// passwordParamsOf splits "path k=v ..." and merges the keyword options under it.
func passwordParamsOf(term string, kw map[string]any) (string, map[string]any, error) {
	params := map[string]any{"length": 20, "chars": []any{"ascii_letters", "digits", ".,:-_"}}
	for k, v := range kw {
		if passwordParams[k] {
			params[k] = v
		}
	}
	rel, rest, found := strings.Cut(term, " ")
	if !found {
		return term, params, nil
	}
	kv, _ := parseKV(rest)
	if raw, ok := kv["_raw_params"]; ok {
		rel = rel + " " + raw
		delete(kv, "_raw_params")
		if !strings.HasPrefix(term, rel) {
			return "", nil, errf("Unrecognized value after key=value parameters given to password lookup")
		}
	}
	var bad []string
	for k := range kv {
		if !passwordParams[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		return "", nil, errf("Unrecognized parameter(s) given to password lookup: %s", strings.Join(bad, ", "))
	}
	for k, v := range kv {
		params[k] = v
	}
	if s, ok := params["chars"].(string); ok {
		var list []any
		if strings.Contains(s, ",,") {
			list = append(list, ",")
		}
		for _, c := range strings.Split(strings.ReplaceAll(s, ",,", ","), ",") {
			if c != "" {
				list = append(list, c)
			}
		}
		params["chars"] = list
	}
	return rel, params, nil
}

func pyIntValue(v any) (int, error) {
	switch t := v.(type) {
	case int:
		return t, nil
	case float64:
		return int(t), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil {
			return 0, errf("invalid literal for int() with base 10: %s", pyRepr(t))
		}
		return n, nil
	}
	return 0, errf("int() argument must be a string or a number, not '%s'", typeName(v))
}

// passwordChars expands chars specs: names of Python string constants, or literal text;
// quotes are dropped, as Ansible does.
func passwordChars(v any) string {
	var specs []string
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			specs = append(specs, pyStr(e))
		}
	case string:
		specs = []string{t}
	}
	var b strings.Builder
	for _, s := range specs {
		if set, ok := pyStringSets[s]; ok {
			b.WriteString(set)
		} else {
			b.WriteString(s)
		}
	}
	return strings.NewReplacer(`"`, "", "'", "").Replace(b.String())
}

func readOrCreatePassword(p string, length int, chars string) (string, error) {
	passwordMu.Lock()
	defer passwordMu.Unlock()
	if p != "/dev/null" {
		if data, err := os.ReadFile(p); err == nil {
			content := strings.TrimRight(string(data), pyWhitespace)
			if i := strings.LastIndex(content, " salt="); i >= 0 {
				content = content[:i]
			}
			return content, nil
		} else if !os.IsNotExist(err) {
			return "", errf("could not read password file %s: %v", p, err)
		}
	}
	pw, err := randomPassword(length, chars)
	if err != nil {
		return "", err
	}
	if p == "/dev/null" {
		return pw, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return "", errf("could not create the directory of password file %s: %v", p, err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", errf("could not write password file %s: %v", p, err)
	}
	_, werr := f.WriteString(pw + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", errf("could not write password file %s: %v", p, werr)
	}
	return pw, nil
}

func randomPassword(length int, chars string) (string, error) {
	set := []rune(chars)
	var b strings.Builder
	for i := 0; i < length; i++ {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			return "", errf("random password: %v", err)
		}
		b.WriteRune(set[n.Int64()])
	}
	return b.String(), nil
}
