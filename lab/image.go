package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// ErrNoImageBuild means the image is absent and cannot be built here.
var ErrNoImageBuild = errors.New("cannot build the test-host image")

// ImageOptions tune EnsureImage; the zero value is usable.
type ImageOptions struct {
	Recipe   *Recipe   // nil: DefaultRecipe()
	WorkDir  string    // root for build dirs and the lock; default /var/tmp/gossible-lab
	CacheDir string    // debootstrap package cache; default /var/cache/gossible-lab/debs
	Log      io.Writer // progress lines; nil: quiet
}

func (o *ImageOptions) defaults() {
	if o.Recipe == nil {
		r := DefaultRecipe()
		o.Recipe = &r
	}
	if o.WorkDir == "" {
		o.WorkDir = "/var/tmp/gossible-lab"
	}
	if o.CacheDir == "" {
		o.CacheDir = "/var/cache/gossible-lab/debs"
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// CanBuildImage says why this process could not build the image, or nil.
func CanBuildImage() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: debootstrap needs root (running as uid %d)", ErrNoImageBuild, os.Geteuid())
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return fmt.Errorf("%w: debootstrap not found (hint: apt-get install -y debootstrap)", ErrNoImageBuild)
	}
	return nil
}

// EnsureImage returns the tag of the recipe's image, building it when the
// local engine lacks it. built tells whether this call built it. The image is
// also tagged ImageRepo:latest, the name the Vagrantfile uses.
func EnsureImage(ctx context.Context, o ImageOptions) (image string, built bool, err error) {
	o.defaults()
	image = o.Recipe.Image()
	if ok, err := ImageExists(ctx, image); err != nil {
		return "", false, err
	} else if ok {
		return image, false, tagLatest(ctx, image)
	}
	if err := CanBuildImage(); err != nil {
		return "", false, fmt.Errorf("image %s is absent: %w", image, err)
	}
	if err := os.MkdirAll(o.WorkDir, 0o755); err != nil {
		return "", false, fmt.Errorf("create build dir: %w", err)
	}
	unlock, err := lockFile(ctx, filepath.Join(o.WorkDir, "build.lock"))
	if err != nil {
		return "", false, err
	}
	defer unlock()
	// Another process may have built it while we waited for the lock.
	if ok, err := ImageExists(ctx, image); err != nil {
		return "", false, err
	} else if ok {
		return image, false, tagLatest(ctx, image)
	}
	start := time.Now()
	fmt.Fprintf(o.Log, "lab: building %s (debootstrap %s, ~1-2 min)\n", image, o.Recipe.Suite)
	if err := buildImage(ctx, o, image); err != nil {
		return "", false, fmt.Errorf("build image %s: %w", image, err)
	}
	fmt.Fprintf(o.Log, "lab: built %s in %s\n", image, time.Since(start).Round(100*time.Millisecond))
	if err := tagLatest(ctx, image); err != nil {
		return "", false, err
	}
	pruneOldImages(ctx, image, o.Log)
	return image, true, nil
}

// pruneOldImages removes the test-host images of older recipes (~730 MB
// each). One still used by a container stays: docker refuses to remove it.
func pruneOldImages(ctx context.Context, keep string, log io.Writer) {
	out, err := docker(ctx, "images", "--format", "{{.Repository}}:{{.Tag}}", ImageRepo)
	if err != nil {
		return
	}
	for _, img := range strings.Fields(out) {
		if img == keep || img == ImageRepo+":latest" {
			continue
		}
		if _, err := docker(ctx, "rmi", img); err == nil {
			fmt.Fprintf(log, "lab: removed old image %s\n", img)
		}
	}
}

func tagLatest(ctx context.Context, image string) error {
	_, err := docker(ctx, "tag", image, ImageRepo+":latest")
	return err
}

func buildImage(ctx context.Context, o ImageOptions, image string) error {
	r := o.Recipe
	root := filepath.Join(o.WorkDir, "rootfs-"+r.Hash())
	if err := removeRoot(root); err != nil {
		return err
	}
	defer removeRoot(root) //nolint:errcheck // best effort; the next build clears it too
	if err := os.MkdirAll(o.CacheDir, 0o755); err != nil {
		return fmt.Errorf("create package cache: %w", err)
	}
	args := []string{"--variant=" + r.Variant, "--include=" + strings.Join(r.Packages, ","),
		"--cache-dir=" + o.CacheDir, r.Suite, root}
	if r.Mirror != "" {
		args = append(args, r.Mirror)
	}
	if err := runLogged(ctx, o.Log, "debootstrap", args...); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(root, strings.TrimPrefix(InitPath, "/")), []byte(initScript), 0o755); err != nil {
		return fmt.Errorf("write init: %w", err)
	}
	if err := os.WriteFile(filepath.Join(root, "tmp/vagrant.pub"), []byte(r.VagrantKey+"\n"), 0o644); err != nil {
		return fmt.Errorf("write vagrant key: %w", err)
	}
	if err := runLogged(ctx, o.Log, "chroot", root, "/bin/sh", "-c", setupScript); err != nil {
		return err
	}
	return importRoot(ctx, root, image)
}

// importRoot streams the root as a tar into docker import.
func importRoot(ctx context.Context, root, image string) error {
	tar := exec.CommandContext(ctx, "tar", "--numeric-owner", "-C", root, "-c", ".")
	args := []string{"import"}
	for _, c := range importChanges {
		args = append(args, "--change", c)
	}
	args = append(args, "-", image)
	imp := exec.CommandContext(ctx, "docker", args...)
	pipe, err := tar.StdoutPipe()
	if err != nil {
		return fmt.Errorf("tar: %w", err)
	}
	var tarErr, impErr bytes.Buffer
	tar.Stderr = &tarErr
	imp.Stdin = pipe
	imp.Stderr = &impErr
	if err := tar.Start(); err != nil {
		return fmt.Errorf("start tar: %w", err)
	}
	ierr := imp.Run()
	terr := tar.Wait()
	if terr != nil {
		return fmt.Errorf("tar %s: %v: %s", root, terr, strings.TrimSpace(tarErr.String()))
	}
	if ierr != nil {
		return fmt.Errorf("docker import: %v: %s", ierr, strings.TrimSpace(impErr.String()))
	}
	return nil
}

// runLogged runs a build step; its output goes to log and, on failure, its
// last lines into the error.
func runLogged(ctx context.Context, log io.Writer, name string, args ...string) error {
	var tail tailBuffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = io.MultiWriter(log, &tail)
	cmd.Stderr = io.MultiWriter(log, &tail)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s failed: %v\n%s", name, err, tail.String())
	}
	return nil
}

// tailBuffer keeps the last 20 lines written to it.
type tailBuffer struct{ lines []string }

func (t *tailBuffer) Write(p []byte) (int, error) {
	sc := bufio.NewScanner(bytes.NewReader(p))
	for sc.Scan() {
		t.lines = append(t.lines, sc.Text())
		if len(t.lines) > 20 {
			t.lines = t.lines[1:]
		}
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return strings.Join(t.lines, "\n") }

// removeRoot deletes a build root, first unmounting anything a failed
// debootstrap left mounted inside it (proc, sys), so RemoveAll never walks
// into the machine's own /proc.
func removeRoot(root string) error {
	data, err := os.ReadFile("/proc/self/mounts")
	if err == nil {
		var mounts []string
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) > 1 && (f[1] == root || strings.HasPrefix(f[1], root+"/")) {
				mounts = append(mounts, f[1])
			}
		}
		sort.Sort(sort.Reverse(sort.StringSlice(mounts))) // deepest first
		for _, m := range mounts {
			if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil {
				return fmt.Errorf("unmount %s: %w", m, err)
			}
		}
	}
	if err := os.RemoveAll(root); err != nil {
		return fmt.Errorf("remove build root: %w", err)
	}
	return nil
}

// lockFile takes an exclusive flock, waiting (cancellably) while another
// process holds it.
func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil //nolint:errcheck
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for image build lock: %w", ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}
