package transport

import (
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{name: "no env", want: "cmd"},
		{name: "sorted and quoted", env: map[string]string{"B": "x y", "A": "it's", "C_1": ""},
			want: `export A='it'\''s'; export B='x y'; export C_1=''; cmd`},
		{name: "bad name", env: map[string]string{"1A": "x"}, wantErr: `invalid environment variable name "1A"`},
		{name: "injection in name", env: map[string]string{"A;rm": "x"}, wantErr: "invalid environment variable name"},
		{name: "nul in value", env: map[string]string{"A": "a\x00b"}, wantErr: "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CommandLine(Cmd{Line: "cmd", Env: tt.env})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
