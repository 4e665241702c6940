package modules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

func init() {
	Register(Info{Name: "ansible.builtin.stat", New: func() Module { return statModule{} }})
}

type statArgs struct {
	Path          string `arg:"path,dest,name"`
	Follow        bool   `arg:"follow"`
	GetChecksum   *bool  `arg:"get_checksum"`
	ChecksumAlgo  string `arg:"checksum_algorithm,checksum,checksum_algo"`
	GetMime       *bool  `arg:"get_mime,mime,mime_type,mime-type"`
	GetAttributes *bool  `arg:"get_attributes,attr,attributes"`
	GetMD5        bool   `arg:"get_md5"`
}

type statModule struct{}

// statSums maps checksum_algorithm to the coreutils command computing it.
var statSums = map[string]string{"md5": "md5sum", "sha1": "sha1sum", "sha224": "sha224sum", "sha256": "sha256sum", "sha384": "sha384sum", "sha512": "sha512sum"}

// fileAttrNames are chattr's flag letters as Ansible names them.
var fileAttrNames = map[rune]string{
	'A': "noatime", 'a': "append", 'c': "compressed", 'C': "nocow", 'd': "nodump", 'D': "dirsync",
	'e': "extents", 'E': "encrypted", 'h': "blocksize", 'i': "immutable", 'I': "indexed", 'j': "journalled",
	'N': "inline", 's': "zero", 'S': "synchronous", 't': "notail", 'T': "blockroot", 'u': "undelete",
	'X': "compressedraw", 'Z': "compresseddirty",
}

// statFields is stat(1)'s format for the fields of Ansible's stat dict,
// one a line (%.9X: times with nanoseconds).
const statFields = `%F\n%f\n%u\n%g\n%U\n%G\n%s\n%i\n%d\n%h\n%.9X\n%.9Y\n%.9Z\n%o\n%b\n%t\n%T\n`

const statFieldCount = 17

// Run implements ansible.builtin.stat: one round trip runs stat(1), the
// access tests, the checksum, readlink, file(1) and lsattr on the host
// (under become), and the answer is Ansible's stat dict.
func (statModule) Run(ctx context.Context, env *Env, raw map[string]any) (Result, error) {
	var a statArgs
	if r := parseArgs("stat", raw, &a, "path,dest,name"); r != nil {
		return r, nil
	}
	if a.ChecksumAlgo == "" {
		a.ChecksumAlgo = "sha1"
	}
	if _, ok := statSums[a.ChecksumAlgo]; !ok {
		return failed(choice("checksum_algorithm", a.ChecksumAlgo, "md5", "sha1", "sha224", "sha256", "sha384", "sha512")["msg"].(string)), nil
	}
	on := func(b *bool) bool { return b == nil || *b }
	exp, err := expandArgs(ctx, env, []string{a.Path})
	if err != nil {
		return nil, err
	}
	p := exp[0]
	res, err := run(ctx, env, statScript(p, a.Follow, on(a.GetChecksum), a.ChecksumAlgo, a.GetMD5, on(a.GetMime), on(a.GetAttributes)), nil)
	if err != nil {
		return nil, err
	}
	if res.RC != 0 {
		return failed(fmt.Sprintf("stat %s: %s", p, lastStderrLine(res.Stderr))), nil
	}
	out := strings.Split(string(res.Stdout), "\n")
	if len(out) > 0 && out[0] == "A" {
		return Result{"changed": false, "stat": map[string]any{"exists": false}}, nil
	}
	if len(out) > 1 && out[0] == "F" {
		return failed(out[1]), nil
	}
	st, err := parseStatDict(p, out, on(a.GetChecksum), a.GetMD5, on(a.GetMime), on(a.GetAttributes))
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", p, err)
	}
	return Result{"changed": false, "stat": st}, nil
}

// statScript prints "A" for a missing path, else the statFields lines,
// then readable/writeable/executable (1/0), the checksum and md5 lines
// (empty unless a readable regular file), readlink and its resolution
// (empty unless a link), file -i's answer and lsattr's line. A path that
// cannot be stated for another reason prints "F" and the reason.
func statScript(p string, follow, sum bool, algo string, md5, mime, attrs bool) string {
	s := "stat"
	if follow {
		s = "stat -L"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "p=%s; if e=$(LC_ALL=C %s --printf '' -- \"$p\" 2>&1); then ", q(p), s)
	fmt.Fprintf(&b, "LC_ALL=C %s --printf '%s' -- \"$p\" || exit 1; t=$(LC_ALL=C %s --printf %%F -- \"$p\"); ", s, statFields, s)
	b.WriteString(`for o in r w x; do if [ -$o "$p" ]; then echo 1; else echo 0; fi; done; `)
	reg := `{ [ "$t" = "regular file" ] || [ "$t" = "regular empty file" ]; } && [ -r "$p" ]`
	for _, c := range []struct {
		on  bool
		cmd string
	}{{sum, statSums[algo]}, {md5, "md5sum"}} {
		if c.on {
			fmt.Fprintf(&b, `if %s; then %s < "$p" | cut -d' ' -f1; else echo; fi; `, reg, c.cmd)
		} else {
			b.WriteString("echo; ")
		}
	}
	b.WriteString(`if [ "$t" = "symbolic link" ]; then readlink -- "$p"; readlink -m -- "$p"; else echo; echo; fi; `)
	if mime {
		b.WriteString(`file -b -i -- "$p" 2>/dev/null || echo; `)
	} else {
		b.WriteString("echo; ")
	}
	if attrs {
		b.WriteString(`lsattr -vd -- "$p" 2>/dev/null || echo; `)
	} else {
		b.WriteString("echo; ")
	}
	// Only a missing path is "exists: false"; Ansible fails on other errors.
	b.WriteString(`else case "$e" in *"No such file or directory") echo A;; *) printf 'F\n%s\n' "${e##*: }";; esac; fi`)
	return b.String()
}

// parseStatDict builds Ansible's stat dict from statScript's lines.
func parseStatDict(p string, out []string, sum, md5, mime, attrs bool) (map[string]any, error) {
	if len(out) < statFieldCount+9 {
		return nil, fmt.Errorf("unexpected output %q", strings.Join(out, "\n"))
	}
	f := out[:statFieldCount]
	raw, err := strconv.ParseUint(f[1], 16, 32)
	if err != nil {
		return nil, fmt.Errorf("unexpected mode %q", f[1])
	}
	num := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	hex := func(s string) uint64 { n, _ := strconv.ParseUint(s, 16, 64); return n }
	ftime := func(s string) float64 {
		sec, ns, _ := strings.Cut(s, ".")
		v := float64(num(sec))
		if ns != "" {
			v += float64(num(ns)) * 1e-9
		}
		return v
	}
	ifmt := raw & 0o170000
	perm := uint32(raw & 0o7777)
	major, minor := hex(f[15]), hex(f[16])
	st := map[string]any{
		"exists":      true,
		"path":        p,
		"mode":        modeString(perm),
		"isdir":       ifmt == 0o040000,
		"ischr":       ifmt == 0o020000,
		"isblk":       ifmt == 0o060000,
		"isreg":       ifmt == 0o100000,
		"isfifo":      ifmt == 0o010000,
		"islnk":       ifmt == 0o120000,
		"issock":      ifmt == 0o140000,
		"uid":         num(f[2]),
		"gid":         num(f[3]),
		"size":        num(f[6]),
		"inode":       num(f[7]),
		"dev":         num(f[8]),
		"nlink":       num(f[9]),
		"atime":       ftime(f[10]),
		"mtime":       ftime(f[11]),
		"ctime":       ftime(f[12]),
		"block_size":  num(f[13]),
		"blocks":      num(f[14]),
		"device_type": int64(major&0xfff<<8 | major&^0xfff<<32 | minor&0xff | minor&^0xff<<12),
		"isuid":       perm&0o4000 != 0,
		"isgid":       perm&0o2000 != 0,
	}
	for i, who := range []string{"usr", "grp", "oth"} {
		shift := uint(6 - 3*i)
		st["r"+who] = perm>>shift&4 != 0
		st["w"+who] = perm>>shift&2 != 0
		st["x"+who] = perm>>shift&1 != 0
	}
	// Ansible leaves a name out when the id has none.
	if f[4] != "UNKNOWN" {
		st["pw_name"] = f[4]
	}
	if f[5] != "UNKNOWN" {
		st["gr_name"] = f[5]
	}
	rest := out[statFieldCount:]
	st["readable"], st["writeable"], st["executable"] = rest[0] == "1", rest[1] == "1", rest[2] == "1"
	if sum && rest[3] != "" {
		st["checksum"] = rest[3]
	}
	if md5 && rest[4] != "" {
		st["md5"] = rest[4]
	}
	if ifmt == 0o120000 {
		st["lnk_target"] = rest[5]
		st["lnk_source"] = rest[6]
	}
	if mime {
		st["mimetype"], st["charset"] = "unknown", "unknown"
		if m, cs, ok := strings.Cut(rest[7], ";"); ok {
			st["mimetype"] = strings.TrimSpace(m)
			if _, v, ok := strings.Cut(cs, "="); ok {
				st["charset"] = strings.TrimSpace(v)
			}
		}
	}
	if attrs {
		st["attr_flags"], st["attributes"], st["version"] = "", []any{}, nil
		if fl := strings.Fields(rest[8]); len(fl) >= 2 {
			flags := strings.ReplaceAll(fl[1], "-", "")
			names := []any{}
			for _, c := range flags {
				if n, ok := fileAttrNames[c]; ok {
					names = append(names, n)
				}
			}
			st["version"], st["attr_flags"], st["attributes"] = fl[0], flags, names
		}
	}
	return st, nil
}
