package executor

import (
	"fmt"
	"strings"
	"testing"
)

func TestSerialBatches(t *testing.T) {
	hosts := make([]*hostState, 10)
	for i := range hosts {
		hosts[i] = &hostState{name: fmt.Sprintf("h%d", i)}
	}
	tests := []struct {
		name    string
		serial  []any
		want    string // batch sizes
		wantErr string
	}{
		{name: "none", want: "10"},
		{name: "int", serial: []any{3}, want: "3,3,3,1"},
		{name: "percent", serial: []any{"25%"}, want: "2,2,2,2,2"},
		{name: "small percent rounds up to one", serial: []any{"1%"}, want: "1,1,1,1,1,1,1,1,1,1"},
		{name: "list, last repeats", serial: []any{1, "50%", 2}, want: "1,5,2,2"},
		{name: "string int", serial: []any{"4"}, want: "4,4,2"},
		{name: "zero means all", serial: []any{0}, want: "10"},
		{name: "bad", serial: []any{"many"}, wantErr: `invalid serial value "many"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			batches, err := serialBatches(tc.serial, hosts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sizes []string
			for _, b := range batches {
				sizes = append(sizes, fmt.Sprint(len(b)))
			}
			if got := strings.Join(sizes, ","); got != tc.want {
				t.Errorf("batches %s, want %s", got, tc.want)
			}
		})
	}
}
