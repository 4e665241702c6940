package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gossible/gossible/lab"
)

// Paths of the workspace as the controller sees it (mounted at lab.RepoMount).
const (
	ctlInventory = lab.RepoMount + "/hosts.ini"
	ctlKey       = "/root/.ssh/id_ed25519"
	ctlLogs      = "/root/bench-logs"
)

// workspace is the directory mounted read-only in the controller: the
// chapter's playbook twice (as written for gossible, with the 2.14 loop
// fix for ansible-playbook), the generated playbook, the inventory and the
// two ansible.cfg variants, and the gossible binary under bin/.
type workspace struct {
	dir      string
	gossible string // binary path on this machine
	// chapterTasks is the chapter's tasks per host: the role's plus facts.
	chapterTasks int
}

// newWorkspace fills dir. repo is the module root (consul.yml, roles/consul);
// consulBin replaces roles/consul/files/consul; gossibleBin is used as is
// when set, else built from repo.
func newWorkspace(ctx context.Context, dir, repo, gossibleBin, consulBin string, ips []string, tasks int, log io.Writer) (*workspace, error) {
	w := &workspace{dir: dir, gossible: filepath.Join(dir, "bin", "gossible")}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	if gossibleBin != "" {
		if err := copyFile(gossibleBin, w.gossible, 0o755); err != nil {
			return nil, fmt.Errorf("copy gossible binary: %w", err)
		}
	} else if err := goBuild(ctx, repo, w.gossible, "./cmd/gossible", log); err != nil {
		return nil, err
	}
	if consulBin == "" {
		consulBin = filepath.Join(repo, "roles", "consul", "files", "consul")
		if _, err := os.Stat(consulBin); err != nil {
			consulBin = filepath.Join(dir, "consul.build")
			if err := goBuild(ctx, repo, consulBin, "./cmd/consul", log); err != nil {
				return nil, err
			}
		}
	}
	tasksFile := filepath.Join(repo, "roles", "consul", "tasks", "main.yml")
	orig, err := os.ReadFile(tasksFile)
	if err != nil {
		return nil, fmt.Errorf("read chapter role: %w", err)
	}
	w.chapterTasks = countTasks(string(orig)) + 1
	fixed, err := ansibleTasks(string(orig))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tasksFile, err)
	}
	for _, tool := range []string{"gossible", "ansible"} {
		dst := filepath.Join(dir, tool)
		if err := copyTree(filepath.Join(repo, "roles", "consul"), filepath.Join(dst, "roles", "consul")); err != nil {
			return nil, fmt.Errorf("copy chapter role: %w", err)
		}
		if err := copyFile(filepath.Join(repo, "consul.yml"), filepath.Join(dst, "consul.yml"), 0o644); err != nil {
			return nil, fmt.Errorf("copy chapter playbook: %w", err)
		}
		if err := copyFile(consulBin, filepath.Join(dst, "roles", "consul", "files", "consul"), 0o755); err != nil {
			return nil, fmt.Errorf("copy consul agent: %w", err)
		}
	}
	files := map[string]string{
		"ansible/roles/consul/tasks/main.yml": fixed,
		"hosts.ini":                           inventory(ips),
		"many.yml":                            manyTasksPlaybook("consul", tasks),
		"cfg/default.cfg":                     ansibleCfg(ctlInventory, ctlKey, false),
		"cfg/fast.cfg":                        ansibleCfg(ctlInventory, ctlKey, true),
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return nil, fmt.Errorf("workspace: %w", err)
		}
	}
	return w, nil
}

// goBuild builds a static binary, as the controller and hosts need.
func goBuild(ctx context.Context, repo, out, pkg string, log io.Writer) error {
	fmt.Fprintf(log, "bench: go build -o %s %s\n", out, pkg)
	args := []string{"build", "-o", out}
	// The version the Makefile stamps, so the report names the tree measured.
	if v, err := exec.CommandContext(ctx, "git", "-C", repo, "describe", "--tags", "--always", "--dirty").Output(); err == nil {
		args = append(args, "-ldflags", "-X main.version="+strings.TrimSpace(string(v)))
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, strings.TrimSpace(string(b)))
	}
	return nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		default:
			return fmt.Errorf("%s: not a regular file or directory", p)
		}
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

// countTasks counts the top-level tasks of a flat task file.
func countTasks(yml string) int {
	n := 0
	for _, l := range strings.Split(yml, "\n") {
		if strings.HasPrefix(l, "- ") {
			n++
		}
	}
	return n
}
