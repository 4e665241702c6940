package modules

import (
	"strings"
	"testing"
)

func TestPyRegexp(t *testing.T) {
	cases := []struct {
		name, pat string
		mode      reMode
		match     []string // inputs that must match
		nomatch   []string
		err       string // substring of the error; "" when it compiles
	}{
		{name: "dollar before final newline", pat: `^a=1$`, mode: reLine, match: []string{"a=1\n", "a=1"}, nomatch: []string{"a=1\r\n", "xa=1\n"}},
		{name: "caret only at start", pat: `^$`, mode: reLine, match: []string{"\n", ""}, nomatch: []string{"a\n"}},
		{name: "multiline", pat: `^b$`, mode: reMultiline, match: []string{"a\nb\nc"}, nomatch: []string{"ab\n"}},
		{name: "backslash Z", pat: `a\Z`, mode: rePlain, match: []string{"xa"}, nomatch: []string{"a\n"}},
		{name: "named group", pat: `(?P<k>\w+)=`, mode: rePlain, match: []string{"key=1"}},
		{name: "brace without min", pat: `^a{,2}b`, mode: rePlain, match: []string{"aab", "b"}, nomatch: []string{"aaab"}},
		{name: "literal brace", pat: `a{b`, mode: rePlain, match: []string{"a{b"}},
		{name: "comment group", pat: `a(?#note)b`, mode: rePlain, match: []string{"ab"}},
		{name: "unicode flag dropped", pat: `(?u)\w+`, mode: rePlain, match: []string{"abc"}},
		{name: "scoped flag", pat: `(?i:AB)c`, mode: rePlain, match: []string{"abc"}, nomatch: []string{"abC"}},
		{name: "posix class is literal", pat: `[[:]`, mode: rePlain, match: []string{":"}},
		{name: "class with bracket", pat: `[]a]`, mode: rePlain, match: []string{"]"}},
		{name: "escaped caret kept", pat: `\^x`, mode: reLine, match: []string{"^x"}},
		{name: "caret in class kept", pat: `[^x]`, mode: reLine, match: []string{"y"}, nomatch: []string{"x"}},
		{name: "lazy quantifier", pat: `a+?b`, mode: rePlain, match: []string{"aab"}},
		{name: "lookahead", pat: `a(?=b)`, err: "lookahead assertions (?=...)"},
		{name: "negative lookahead", pat: `a(?!b)`, err: "negative lookahead assertions (?!...)"},
		{name: "lookbehind", pat: `(?<=a)b`, err: "lookbehind assertions (?<=...)"},
		{name: "negative lookbehind", pat: `(?<!a)b`, err: "negative lookbehind assertions (?<!...)"},
		{name: "backreference", pat: `(a)\1`, err: `backreferences (\1)`},
		{name: "named backreference", pat: `(?P<x>a)(?P=x)`, err: "named backreferences (?P=name)"},
		{name: "conditional", pat: `(a)?(?(1)b|c)`, err: "conditional groups"},
		{name: "atomic", pat: `(?>a)`, err: "atomic groups (?>...)"},
		{name: "possessive", pat: `a*+`, err: "possessive quantifiers"},
		{name: "verbose", pat: `(?x) a`, err: "verbose mode (?x)"},
		{name: "invalid", pat: `a(`, err: "invalid regular expression"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			re, err := pyRegexp(tc.pat, tc.mode)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("pyRegexp(%q) error = %v, want it to name %q", tc.pat, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("pyRegexp(%q): %v", tc.pat, err)
			}
			for _, s := range tc.match {
				if !re.MatchString(s) {
					t.Errorf("%q (as %s) does not match %q", tc.pat, re, s)
				}
			}
			for _, s := range tc.nomatch {
				if re.MatchString(s) {
					t.Errorf("%q (as %s) matches %q", tc.pat, re, s)
				}
			}
		})
	}
}

func TestPyTemplate(t *testing.T) {
	cases := []struct {
		name, pat, repl, in, want, err string
	}{
		{name: "numbered", pat: `(a)(b)`, repl: `\2\1`, in: "ab", want: "ba"},
		{name: "g forms", pat: `(?P<x>a)`, repl: `\g<x>\g<1>\g<0>`, in: "a", want: "aaa"},
		{name: "escapes", pat: `a`, repl: `\n\t\\`, in: "a", want: "\n\t\\"},
		{name: "other escape kept", pat: `a`, repl: `\.`, in: "a", want: `\.`},
		{name: "unmatched group empty", pat: `(x)?a`, repl: `[\1]`, in: "a", want: "[]"},
		{name: "two digit group", pat: `(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)`, repl: `\10`, in: "abcdefghij", want: "j"},
		{name: "bad group", pat: `(a)`, repl: `\2`, err: "invalid group reference 2"},
		{name: "unknown name", pat: `(a)`, repl: `\g<y>`, err: "unknown group name 'y'"},
		{name: "bad escape", pat: `a`, repl: `\q`, err: `bad escape \q`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			re, err := pyRegexp(tc.pat, rePlain)
			if err != nil {
				t.Fatal(err)
			}
			tmpl, err := parsePyTemplate(re, tc.repl)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out, _ := pySubn(re, tmpl, []byte(tc.in))
			if string(out) != tc.want {
				t.Errorf("got %q, want %q", out, tc.want)
			}
		})
	}
}
