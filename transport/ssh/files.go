package ssh

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/pkg/sftp"
)

// sftpClient returns the connection's SFTP session, starting it on first use.
func (c *Client) sftpClient() (*sftp.Client, error) {
	c.sftpMu.Lock()
	defer c.sftpMu.Unlock()
	if c.sftp != nil {
		return c.sftp, nil
	}
	s, err := sftp.NewClient(c.conn, sftp.UseConcurrentWrites(true))
	if err != nil {
		return nil, fmt.Errorf("start sftp subsystem: %w", err)
	}
	c.sftp = s
	return s, nil
}

// sftpFailed forgets a SFTP session that lost its channel, so the next
// transfer starts a new one instead of failing forever.
func (c *Client) sftpFailed(s *sftp.Client, err error) {
	if !errors.Is(err, sftp.ErrSSHFxConnectionLost) && !errors.Is(err, io.EOF) {
		return
	}
	c.sftpMu.Lock()
	if c.sftp == s {
		c.sftp = nil
		_ = s.Close()
	}
	c.sftpMu.Unlock()
}

// Upload writes r to p atomically: a temporary file in the same directory,
// then an atomic posix-rename. A zero mode means 0644. On failure the
// temporary file is removed and p is left as it was.
func (c *Client) Upload(ctx context.Context, r io.Reader, p string, mode fs.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	s, err := c.sftpClient()
	if err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	dir, base := path.Split(p)
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, "."+base+".gossible-tmp-"+hex.EncodeToString(rnd[:]))
	f, err := s.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		c.sftpFailed(s, err)
		return fmt.Errorf("upload %s: %w", p, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = s.Remove(tmp)
		}
	}()
	if _, err := f.ReadFrom(ctxReader{ctx, r}); err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("upload %s: set mode: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	if err := s.PosixRename(tmp, p); err != nil {
		return fmt.Errorf("upload %s: rename into place: %w", p, err)
	}
	ok = true
	return nil
}

// Download copies the host's file at p into w.
func (c *Client) Download(ctx context.Context, p string, w io.Writer) error {
	s, err := c.sftpClient()
	if err != nil {
		return fmt.Errorf("download %s: %w", p, err)
	}
	f, err := s.Open(p)
	if err != nil {
		c.sftpFailed(s, err)
		return fmt.Errorf("download %s: %w", p, err)
	}
	defer f.Close()
	if _, err := f.WriteTo(ctxWriter{ctx, w}); err != nil {
		return fmt.Errorf("download %s: %w", p, err)
	}
	return nil
}

// ctxReader stops a copy between reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
