package shellquote

import (
	"os/exec"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: "''"},
		{name: "safe word", in: "abc-1.2_/x,y:z+w@h%", want: "abc-1.2_/x,y:z+w@h%"},
		{name: "space", in: "a b", want: "'a b'"},
		{name: "single quote", in: "it's", want: `'it'\''s'`},
		{name: "only quote", in: "'", want: `''\'''`},
		{name: "dollar", in: "$HOME", want: "'$HOME'"},
		{name: "backtick", in: "`id`", want: "'`id`'"},
		{name: "glob", in: "*", want: "'*'"},
		{name: "tilde", in: "~root", want: "'~root'"},
		{name: "assignment", in: "A=b", want: "'A=b'"},
		{name: "newline", in: "a\nb", want: "'a\nb'"},
		{name: "backslash", in: `a\b`, want: `'a\b'`},
		{name: "semicolon", in: "a;rm -rf /", want: "'a;rm -rf /'"},
		{name: "utf8", in: "héllo", want: "'héllo'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Quote(tt.in); got != tt.want {
				t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want string
	}{
		{name: "none", in: nil, want: ""},
		{name: "one", in: []string{"ls"}, want: "ls"},
		{name: "mixed", in: []string{"echo", "", "a b", "it's"}, want: `echo '' 'a b' 'it'\''s'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Join(tt.in...); got != tt.want {
				t.Errorf("Join(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// shellEcho asks a real /bin/sh to print its arguments, one per NUL, so the
// test sees exactly how the shell split and expanded the quoted line.
func shellEcho(t testing.TB, line string) []string {
	t.Helper()
	out, err := exec.Command("/bin/sh", "-c", `printf '%s\0' `+line).Output()
	if err != nil {
		t.Fatalf("sh -c %q: %v", line, err)
	}
	parts := strings.Split(string(out), "\x00")
	return parts[:len(parts)-1]
}

func TestJoinRoundTrip(t *testing.T) {
	args := []string{"", "a b", "'", `"`, "$(id)", "`id`", "*", "~", "a\nb", `\`, "x=y", "-n", "!", "#c", "&", "|", ";", "<", ">", "(", "{", "}", "é"}
	got := shellEcho(t, Join(args...))
	if len(got) != len(args) {
		t.Fatalf("shell saw %d args %q, want %d", len(got), got, len(args))
	}
	for i := range args {
		if got[i] != args[i] {
			t.Errorf("arg %d: shell saw %q, want %q", i, got[i], args[i])
		}
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "a", "a b", "'", "''", `'\''`, "$x", "`x`", "*?[a]", "~", "\n", "\t", "\xff\xfe", "a=b", "-e", "%s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.IndexByte(s, 0) >= 0 {
			t.Skip("a NUL byte cannot be passed through argv")
		}
		got := shellEcho(t, Quote(s))
		if len(got) != 1 || got[0] != s {
			t.Fatalf("Quote(%q) = %q; shell saw %q", s, Quote(s), got)
		}
	})
}
