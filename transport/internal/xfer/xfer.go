// Package xfer holds the file-transfer logic ssh and local share: the atomic
// upload (a temporary file beside the target, then a rename, so the target
// is never seen half written and is left as it was on failure) and readers
// and writers that stop a copy once its context is done. Each transport
// supplies only its file system: the local disk or an SFTP session.
package xfer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
)

// File is what Upload needs of a file open for writing.
type File interface {
	io.Writer
	Chmod(mode fs.FileMode) error
	Close() error
}

// FS is the file system Upload writes to.
type FS interface {
	// CreateExcl creates name for writing; it fails if name exists.
	CreateExcl(name string) (File, error)
	Remove(name string) error
	// Rename moves from onto to atomically, replacing to.
	Rename(from, to string) error
}

// Disk is the local file system.
type Disk struct{}

// CreateExcl creates name, readable by its owner only until Upload's chmod.
func (Disk) CreateExcl(name string) (File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (Disk) Remove(name string) error     { return os.Remove(name) }
func (Disk) Rename(from, to string) error { return os.Rename(from, to) }

// Upload writes r to p on fsys atomically: a temporary file in the same
// directory, then a rename. A zero mode means 0644. On failure the
// temporary file is removed and p is left as it was.
func Upload(ctx context.Context, fsys FS, r io.Reader, p string, mode fs.FileMode) error {
	if mode == 0 {
		mode = 0o644
	}
	dir, base := path.Split(p)
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, "."+base+".gossible-tmp-"+hex.EncodeToString(rnd[:]))
	f, err := fsys.CreateExcl(tmp)
	if err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = f.Close()
			_ = fsys.Remove(tmp)
		}
	}()
	// io.Copy uses f's ReadFrom where it has one (SFTP's concurrent writes).
	if _, err := io.Copy(f, Reader{ctx, r}); err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("upload %s: set mode: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("upload %s: %w", p, err)
	}
	if err := fsys.Rename(tmp, p); err != nil {
		return fmt.Errorf("upload %s: rename into place: %w", p, err)
	}
	ok = true
	return nil
}

// Reader stops a copy between reads once Ctx is done.
type Reader struct {
	Ctx context.Context
	R   io.Reader
}

func (c Reader) Read(p []byte) (int, error) {
	if err := c.Ctx.Err(); err != nil {
		return 0, err
	}
	return c.R.Read(p)
}

// Writer stops a copy between writes once Ctx is done.
type Writer struct {
	Ctx context.Context
	W   io.Writer
}

func (c Writer) Write(p []byte) (int, error) {
	if err := c.Ctx.Err(); err != nil {
		return 0, err
	}
	return c.W.Write(p)
}
