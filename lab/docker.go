package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// ErrNoDocker means the docker CLI is missing or its daemon does not answer.
var ErrNoDocker = errors.New("docker is not available")

// docker runs the docker CLI and returns its trimmed stdout. A failure carries
// docker's own stderr, which is what a user needs to see.
func docker(ctx context.Context, args ...string) (string, error) {
	return dockerIn(ctx, nil, args...)
}

// dockerIn is docker with stdin.
func dockerIn(ctx context.Context, stdin io.Reader, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdin = stdin
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" { // some failures (OCI runtime errors) go to stdout
			msg = strings.TrimSpace(out.String())
		}
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("docker %s: %s", firstWords(args, 2), msg)
	}
	return strings.TrimSpace(out.String()), nil
}

// firstWords names a docker call in errors without dumping long scripts.
func firstWords(args []string, n int) string {
	if len(args) < n {
		n = len(args)
	}
	return strings.Join(args[:n], " ")
}

// DockerAvailable reports whether the docker CLI exists and the daemon
// answers, network calls included: a daemon wedged in libnetwork answers
// `docker version` but hangs on every network call, so it is probed with a
// deadline instead of letting a cluster start hang.
func DockerAvailable(ctx context.Context) error {
	if _, err := exec.LookPath("docker"); err != nil {
		return fmt.Errorf("%w: docker CLI not found in PATH", ErrNoDocker)
	}
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if _, err := docker(pctx, "version", "--format", "{{.Server.Version}}"); err != nil {
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	if _, err := docker(pctx, "network", "ls", "-q"); err != nil {
		if pctx.Err() != nil {
			return fmt.Errorf("%w: daemon does not answer network calls within %s (wedged dockerd? hint: service docker restart)", ErrNoDocker, probeTimeout)
		}
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	return nil
}

// probeTimeout bounds DockerAvailable.
const probeTimeout = 30 * time.Second

// ImageExists reports whether the local engine has the image.
func ImageExists(ctx context.Context, image string) (bool, error) {
	out, err := docker(ctx, "images", "-q", image)
	if err != nil {
		return false, err
	}
	return out != "", nil
}
