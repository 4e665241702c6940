package modules

import "testing"

func TestResolveMode(t *testing.T) {
	cases := []struct {
		name    string
		arg     any
		cur     uint32
		dir     bool
		want    uint32
		wantErr string
	}{
		{name: "yaml int", arg: 0o755, cur: 0o644, want: 0o755},
		{name: "octal string", arg: "0755", cur: 0o644, want: 0o755},
		{name: "octal string without zero", arg: "755", cur: 0o644, want: 0o755},
		{name: "setuid", arg: "4755", cur: 0o644, want: 0o4755},
		{name: "symbolic set", arg: "u=rwx,g=rx,o=rx", cur: 0o600, want: 0o755},
		{name: "symbolic add", arg: "u+x", cur: 0o644, want: 0o744},
		{name: "symbolic remove all", arg: "a-w", cur: 0o666, want: 0o444},
		{name: "empty who honours umask", arg: "+w", cur: 0o444, want: 0o644},
		{name: "X on file without x", arg: "a+X", cur: 0o644, want: 0o644},
		{name: "X on file with x", arg: "a+X", cur: 0o744, want: 0o755},
		{name: "X on dir", arg: "go+X", cur: 0o700, dir: true, want: 0o711},
		{name: "copy class", arg: "g=u", cur: 0o740, want: 0o770},
		{name: "multiple ops", arg: "u=rw-x+X", cur: 0o755, want: 0o755},
		{name: "sticky and setgid", arg: "g+s,o+t", cur: 0o755, dir: true, want: 0o3755},
		{name: "clear others", arg: "o=", cur: 0o755, want: 0o750},
		{name: "bad digits", arg: "0999", wantErr: "mode must be in octal or symbolic form: bad symbolic permission for mode: 0999"},
		{name: "bad perm", arg: "u=rwz", wantErr: "mode must be in octal or symbolic form: 'z'"},
		{name: "too big", arg: 0o17777, wantErr: "Invalid mode supplied, only permission info is allowed: 8191"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolveMode(tc.arg, tc.cur, tc.dir, 0o022)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("resolveMode(%v, %o) = %o, %v; want %o", tc.arg, tc.cur, got, err, tc.want)
			}
		})
	}
}
