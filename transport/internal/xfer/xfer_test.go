package xfer

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestUpload(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		r       io.Reader
		wantErr string
		want    string // target content afterwards
	}{
		{name: "writes", ctx: context.Background(), r: strings.NewReader("new"), want: "new"},
		{name: "read error keeps target", ctx: context.Background(), r: failReader{}, wantErr: "boom", want: "old"},
		{name: "cancelled keeps target", ctx: cancelled, r: strings.NewReader("new"), wantErr: "context canceled", want: "old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f")
			if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := Upload(tc.ctx, Disk{}, tc.r, p, 0)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Upload error = %v, want %q", err, tc.wantErr)
			}
			got, _ := os.ReadFile(p)
			if string(got) != tc.want {
				t.Errorf("target holds %q, want %q", got, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary file left behind: %v", entries)
			}
			if fi, _ := os.Stat(p); tc.wantErr == "" && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644 for a zero mode", fi.Mode().Perm())
			}
		})
	}
}
