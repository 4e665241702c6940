package modules

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/shellquote"
	"github.com/gossible/gossible/transport"
)

// q is shellquote.Quote; every value put into a remote line goes through it.
var q = shellquote.Quote

// run executes line on the host under the task's become settings.
func run(ctx context.Context, env *Env, line string, stdin io.Reader) (transport.Result, error) {
	if env.Conn == nil {
		return transport.Result{}, fmt.Errorf("module needs a host connection, but none was given")
	}
	res, err := env.Conn.Exec(ctx, transport.Cmd{Line: line, Stdin: stdin, Become: env.Become})
	if err != nil {
		return res, fmt.Errorf("run command on %s: %w", env.Host, err)
	}
	return res, nil
}

// uploadPath names a fresh file in the run's scratch directory on the host.
func uploadPath(env *Env) (string, error) {
	if env.RemoteTmp == "" {
		return "", fmt.Errorf("no remote scratch directory (Env.RemoteTmp) to upload into")
	}
	return path.Join(env.RemoteTmp, randName()), nil
}

// randName gives a name for temporary files that cannot collide in practice.
func randName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// fileStat is what one stat round trip tells about a path on the host.
type fileStat struct {
	Exists   bool
	Type     string // file, directory, link, other (lstat: a symlink is "link")
	Target   string // for links: readlink
	Resolved string // for links: readlink -f (empty when dangling)
	ToDir    bool   // the path resolves to a directory (follows links)
	Mode     uint32 // permission bits, 07777
	Owner    string
	Group    string
	UID      int
	GID      int
	Size     int64
	Nlink    int
	Atime    float64
	Mtime    float64
	Checksum string // sha1 of a regular file's content, when asked for
}

// stateName is the file module's "state" for an existing path.
func (s fileStat) stateName() string {
	switch {
	case !s.Exists:
		return "absent"
	case s.Type == "link":
		return "link"
	case s.Type == "directory":
		return "directory"
	case s.Type == "file" && s.Nlink > 1:
		return "hard"
	}
	return "file"
}

// statFunc is a POSIX sh function printing a fixed block of lines per path:
// "A" when absent, else "E", the stat fields, whether it resolves to a dir,
// the sha1 (empty unless $2 is 1 and it is a readable file), and readlink.
// It also works as $(...) driver for many paths in one round trip.
const statFunc = `gst() { if [ -e "$1" ] || [ -L "$1" ]; then ` +
	`LC_ALL=C stat --printf 'E\n%F\n%a\n%U\n%G\n%u\n%g\n%s\n%h\n%X\n%Y\n' -- "$1" || return 1; ` +
	`if [ -d "$1" ]; then echo d; else echo -; fi; ` +
	`if [ "$2" = 1 ] && [ -f "$1" ] && [ -r "$1" ]; then sha1sum < "$1" | cut -d' ' -f1; else echo; fi; ` +
	`if [ -L "$1" ]; then readlink -- "$1"; readlink -f -- "$1"; else echo; echo; fi; ` +
	`else echo A; fi; }; `

const statLines = 15 // lines of an "E" block, including the E

// statCmd returns the shell statements stating paths (with checksums when sum).
func statCmd(paths []string, sum bool) string {
	flag := "0"
	if sum {
		flag = "1"
	}
	// One brace group, so that `cond && statCmd(...)` guards the whole of it
	// and not only the function definition.
	var b strings.Builder
	b.WriteString("{ ")
	b.WriteString(statFunc)
	for i, p := range paths {
		if i > 0 {
			b.WriteString(" && ")
		}
		b.WriteString("gst " + q(p) + " " + flag)
	}
	b.WriteString("; }")
	return b.String()
}

// probe is the answer of one stat round trip: the stats, the host's umask
// and the ids of the owner and group asked for (-1: no such name).
type probe struct {
	Stats []fileStat
	Umask uint32
	UID   int
	GID   int
	// SelfUID/SelfGID are the ids commands run as (the become user).
	SelfUID int
	SelfGID int
}

// probePaths stats paths on the host in one round trip, with sha1 sums when
// sum, and resolves owner and group names (empty: not asked).
func probePaths(ctx context.Context, env *Env, paths []string, sum bool, owner, group string) (probe, error) {
	line := "umask; id -u; id -g; " + idLookup("id -u -- ", owner) + "; " + idLookup("getent group -- ", group) + "; " + statCmd(paths, sum)
	res, err := run(ctx, env, line, nil)
	if err != nil {
		return probe{}, err
	}
	if res.RC != 0 {
		return probe{}, fmt.Errorf("stat %s: %s", strings.Join(paths, ", "), lastStderrLine(res.Stderr))
	}
	lines := strings.SplitN(string(res.Stdout), "\n", 6)
	if len(lines) < 6 {
		return probe{}, fmt.Errorf("unexpected stat output %q", res.Stdout)
	}
	var p probe
	um, _ := strconv.ParseUint(strings.TrimSpace(lines[0]), 8, 32)
	p.Umask = uint32(um)
	p.SelfUID = parseID(lines[1])
	p.SelfGID = parseID(lines[2])
	p.UID = parseID(lines[3])
	p.GID = parseID(lines[4])
	p.Stats, _, err = parseStats(lines[5], len(paths))
	return p, err
}

// idLookup prints the numeric id for name (a number is itself), or an empty
// line when name is empty or unknown.
func idLookup(cmd, name string) string {
	if name == "" {
		return "echo"
	}
	if _, err := strconv.Atoi(name); err == nil {
		return "echo " + q(name)
	}
	if strings.HasPrefix(cmd, "getent") {
		return "{ " + cmd + q(name) + " | cut -d: -f3; } 2>/dev/null | grep . || echo"
	}
	return cmd + q(name) + " 2>/dev/null || echo"
}

func parseID(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// parseStats reads n stat blocks from out and returns the remaining lines.
func parseStats(out string, n int) ([]fileStat, []string, error) {
	lines := strings.Split(out, "\n")
	var sts []fileStat
	for i := 0; i < n; i++ {
		if len(lines) == 0 {
			return nil, nil, fmt.Errorf("stat output too short")
		}
		if lines[0] == "A" {
			sts = append(sts, fileStat{})
			lines = lines[1:]
			continue
		}
		if lines[0] != "E" || len(lines) < statLines {
			return nil, nil, fmt.Errorf("unexpected stat output %q", strings.Join(lines, "\\n"))
		}
		l := lines[1:statLines]
		st := fileStat{Exists: true}
		switch l[0] {
		case "regular file", "regular empty file":
			st.Type = "file"
		case "directory":
			st.Type = "directory"
		case "symbolic link":
			st.Type = "link"
		default:
			st.Type = "other"
		}
		m, _ := strconv.ParseUint(l[1], 8, 32)
		st.Mode = uint32(m)
		st.Owner, st.Group = l[2], l[3]
		st.UID, _ = strconv.Atoi(l[4])
		st.GID, _ = strconv.Atoi(l[5])
		st.Size, _ = strconv.ParseInt(l[6], 10, 64)
		st.Nlink, _ = strconv.Atoi(l[7])
		st.Atime, _ = strconv.ParseFloat(l[8], 64)
		st.Mtime, _ = strconv.ParseFloat(l[9], 64)
		st.ToDir = l[10] == "d"
		st.Checksum = l[11]
		st.Target = l[12]
		st.Resolved = l[13]
		// stat prints UNKNOWN for ids without a name; Ansible shows the number.
		if st.Owner == "UNKNOWN" {
			st.Owner = l[4]
		}
		if st.Group == "UNKNOWN" {
			st.Group = l[5]
		}
		sts = append(sts, st)
		lines = lines[statLines:]
	}
	return sts, lines, nil
}

// modeString renders permission bits as Ansible does: "0644".
func modeString(m uint32) string { return fmt.Sprintf("%04o", m) }

// statResult adds the keys Ansible's file-like results carry for an
// existing path.
func statResult(r Result, st fileStat) {
	r["uid"] = st.UID
	r["gid"] = st.GID
	r["owner"] = st.Owner
	r["group"] = st.Group
	r["mode"] = modeString(st.Mode)
	r["size"] = st.Size
	r["state"] = st.stateName()
}

// readRemote returns a file's content (for --diff), under become.
func readRemote(ctx context.Context, env *Env, path string) ([]byte, error) {
	res, err := run(ctx, env, "cat -- "+q(path), nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return nil, fmt.Errorf("read %s: %s", path, strings.TrimSpace(string(res.Stderr)))
	}
	return res.Stdout, nil
}

// failed builds a failed result with msg.
func failed(msg string) Result { return Result{"failed": true, "changed": false, "msg": msg} }

// lastStderrLine is the most useful part of a shell error for a message.
func lastStderrLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// isText reports whether content can be shown in a diff (Ansible skips
// binary files).
func isText(b []byte) bool { return !bytes.ContainsRune(b, 0) }
