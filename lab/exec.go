package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// ExitError is a command in a container that ran and exited non-zero.
type ExitError struct {
	Container string
	Args      []string
	Code      int
	Stderr    string // captured stderr, when the caller did not stream it
}

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("%s in %s exited with status %d", firstWords(e.Args, 3), e.Container, e.Code)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		msg += ": " + s
	}
	return msg
}

// ExecOptions tune Exec; the zero value runs as root in / with no input.
type ExecOptions struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Dir            string   // working directory in the container
	User           string   // user in the container; default root
	Env            []string // KEY=VALUE
	TTY            bool     // allocate a terminal (interactive use)
}

// Exec runs args in one of the cluster's containers after verifying the
// network. A non-zero exit is an *ExitError.
func (c *Cluster) Exec(ctx context.Context, container string, eo ExecOptions, args ...string) error {
	if err := c.Verify(ctx); err != nil {
		return err
	}
	if !c.owns(container) {
		return fmt.Errorf("container %s is not part of lab %s", container, c.Network)
	}
	if len(args) == 0 {
		return errors.New("exec: no command given")
	}
	dargs := []string{"exec"}
	if eo.Stdin != nil {
		dargs = append(dargs, "-i")
	}
	if eo.TTY {
		dargs = append(dargs, "-t")
	}
	if eo.Dir != "" {
		dargs = append(dargs, "-w", eo.Dir)
	}
	if eo.User != "" {
		dargs = append(dargs, "-u", eo.User)
	}
	for _, e := range eo.Env {
		dargs = append(dargs, "-e", e)
	}
	dargs = append(dargs, container)
	dargs = append(dargs, args...)
	cmd := exec.CommandContext(ctx, "docker", dargs...)
	cmd.Stdin = eo.Stdin
	cmd.Stdout = eo.Stdout
	var errb bytes.Buffer
	if eo.Stderr != nil {
		cmd.Stderr = eo.Stderr
	} else {
		cmd.Stderr = &errb
	}
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ctx.Err() == nil {
		return &ExitError{Container: container, Args: args, Code: ee.ExitCode(), Stderr: errb.String()}
	}
	if err != nil {
		return fmt.Errorf("docker exec %s: %w", container, err)
	}
	return nil
}

// Output runs args in a container and returns its stdout; stderr goes into
// the error when the command fails.
func (c *Cluster) Output(ctx context.Context, container string, args ...string) (string, error) {
	var out bytes.Buffer
	err := c.Exec(ctx, container, ExecOptions{Stdout: &out}, args...)
	return out.String(), err
}

// Run runs a command in the controller, in the repository when one is
// mounted, streaming to Options.Stdout/Stderr — e.g.
// Run(ctx, "gossible", "-i", "hosts/serv-disc", "consul.yml").
func (c *Cluster) Run(ctx context.Context, args ...string) error {
	if c.Controller == nil {
		return errors.New("lab has no controller")
	}
	return c.Exec(ctx, c.Controller.Container, ExecOptions{
		Stdout: c.opts.Stdout, Stderr: c.opts.Stderr, Dir: c.WorkDir(), Env: []string{"LANG=C.UTF-8"},
	}, args...)
}

// WorkDir is where Run runs in the controller: the repository, else /root.
func (c *Cluster) WorkDir() string {
	if c.opts.RepoDir != "" {
		return RepoMount
	}
	return "/root"
}

// SSHArgs is the controller's ssh command for a host: the lab key, strict
// host key checking against the known_hosts built from the hosts' own keys.
func (c *Cluster) SSHArgs(h Host, command ...string) []string {
	args := []string{"ssh", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
		"-o", "ConnectTimeout=10", "-i", "/root/.ssh/id_ed25519", LoginUser + "@" + h.IP}
	return append(args, command...)
}

// Host finds a managed host (or the controller) by name, IP or container.
func (c *Cluster) Host(name string) (Host, bool) {
	all := c.Hosts
	if c.Controller != nil {
		all = append(append([]Host(nil), all...), *c.Controller)
	}
	for _, h := range all {
		if h.Name == name || h.IP == name || h.Container == name {
			return h, true
		}
	}
	return Host{}, false
}

func (c *Cluster) owns(container string) bool {
	h, ok := c.Host(container)
	return ok && h.Container == container
}

// Verify checks the cluster's network is still the lab's internal network.
func (c *Cluster) Verify(ctx context.Context) error {
	return VerifyNetwork(ctx, c.Network, c.Subnet)
}

// Down removes the cluster (see the package-level Down).
func (c *Cluster) Down(ctx context.Context) error { return DownNetwork(ctx, c.Network) }

// Options returns the cluster's options with defaults filled in.
func (c *Cluster) Options() Options { return c.opts }
