package display

import (
	"bytes"
	"strings"
	"testing"
)

func TestBanner(t *testing.T) {
	tests := []struct {
		name, msg, want string
	}{
		{name: "play", msg: "PLAY [all]", want: "\nPLAY [all] " + strings.Repeat("*", 69) + "\n"},
		{name: "long", msg: strings.Repeat("x", 90), want: "\n" + strings.Repeat("x", 90) + " ***\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			New(&out, &out, false).Banner(tc.msg, "")
			if out.String() != tc.want {
				t.Errorf("got %q, want %q", out.String(), tc.want)
			}
		})
	}
}

func TestWarningWrapsAndDedups(t *testing.T) {
	var out, errb bytes.Buffer
	d := New(&out, &errb, false)
	msg := "Could not match supplied host pattern, ignoring: nomatch and some more words to wrap the line"
	d.Warning(msg)
	d.Warning(msg)
	want := "[WARNING]: Could not match supplied host pattern, ignoring: nomatch and some\nmore words to wrap the line\n"
	if errb.String() != want {
		t.Errorf("got %q, want %q", errb.String(), want)
	}
	if out.Len() != 0 {
		t.Errorf("warning went to stdout")
	}
}

func TestColorize(t *testing.T) {
	d := New(nil, nil, true)
	if got := d.Colorize("a\nb", Green); got != "\033[0;32ma\033[0m\n\033[0;32mb\033[0m" {
		t.Errorf("got %q", got)
	}
	d.Color = false
	if got := d.Colorize("a", Green); got != "a" {
		t.Errorf("colour without Color: %q", got)
	}
}
