package ssh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/gossible/gossible/transport/internal/xfer"
)

// sftpClient returns the connection's SFTP session, starting it on first use.
// The channel is opened like an Exec's (newSession), so a refusal while sshd
// is at MaxSessions is retried rather than failing the transfer.
func (c *Client) sftpClient(ctx context.Context) (*sftp.Client, error) {
	c.sftpMu.Lock()
	defer c.sftpMu.Unlock()
	if c.sftp != nil {
		return c.sftp, nil
	}
	sess, err := c.newSession(ctx)
	if err != nil {
		return nil, fmt.Errorf("start sftp subsystem: %w", err)
	}
	s, err := startSFTP(sess)
	if err != nil {
		_ = sess.Close()
		return nil, fmt.Errorf("start sftp subsystem: %w", err)
	}
	c.sftp = s
	return s, nil
}

// startSFTP runs the sftp subsystem on an open session; closing the client
// closes its stdin, which ends the remote sftp-server and the session.
func startSFTP(sess *ssh.Session) (*sftp.Client, error) {
	in, err := sess.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := sess.RequestSubsystem("sftp"); err != nil {
		return nil, err
	}
	return sftp.NewClientPipe(out, in, sftp.UseConcurrentWrites(true))
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
	s, err := c.sftpClient(ctx)
	if err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	return xfer.Upload(ctx, sftpFS{c, s}, r, p, mode)
}

// sftpFS is the host's file system over SFTP for xfer.Upload.
type sftpFS struct {
	c *Client
	s *sftp.Client
}

func (f sftpFS) CreateExcl(name string) (xfer.File, error) {
	file, err := f.s.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		f.c.sftpFailed(f.s, err)
		return nil, err
	}
	return file, nil
}

func (f sftpFS) Remove(name string) error     { return f.s.Remove(name) }
func (f sftpFS) Rename(from, to string) error { return f.s.PosixRename(from, to) }

// Download copies the host's file at p into w.
func (c *Client) Download(ctx context.Context, p string, w io.Writer) error {
	s, err := c.sftpClient(ctx)
	if err != nil {
		return fmt.Errorf("download %s: %w", p, err)
	}
	f, err := s.Open(p)
	if err != nil {
		c.sftpFailed(s, err)
		return fmt.Errorf("download %s: %w", p, err)
	}
	defer f.Close()
	if _, err := f.WriteTo(xfer.Writer{Ctx: ctx, W: w}); err != nil {
		return fmt.Errorf("download %s: %w", p, err)
	}
	return nil
}
