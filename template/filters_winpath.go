package template

import "strings"

// Windows path filters: Python's ntpath, which takes both '\' and '/' as separators.

func init() {
	registerFilter(pathFilter("basename", func(s string) string { return winSplit(s)[1] }), "win_basename")
	registerFilter(pathFilter("dirname", func(s string) string { return winSplit(s)[0] }), "win_dirname")
	registerFilter(pathFilter("splitdrive", func(s string) []any {
		d, p := winSplitDrive(s)
		return []any{d, p}
	}), "win_splitdrive")
}

// winSplitDrive is ntpath.splitdrive: a drive letter ("C:") or a UNC share
// ("\\host\share") and the rest.
func winSplitDrive(p string) (string, string) {
	if len(p) < 2 {
		return "", p
	}
	norm := strings.ReplaceAll(p, "/", `\`)
	if strings.HasPrefix(norm, `\\`) {
		start := 2
		if len(norm) >= 8 && strings.EqualFold(norm[:8], `\\?\UNC\`) {
			start = 8
		}
		i := strings.Index(norm[start:], `\`)
		if i < 0 {
			return p, ""
		}
		i += start
		j := strings.Index(norm[i+1:], `\`)
		if j < 0 {
			return p, ""
		}
		j += i + 1
		return p[:j], p[j:]
	}
	if norm[1] == ':' {
		return p[:2], p[2:]
	}
	return "", p
}

// winSplit is ntpath.split: (head, tail) around the last separator, the drive kept.
func winSplit(s string) [2]string {
	d, p := winSplitDrive(s)
	i := strings.LastIndexAny(p, `\/`) + 1
	head, tail := p[:i], p[i:]
	if h := strings.TrimRight(head, `\/`); h != "" {
		head = h
	}
	return [2]string{d + head, tail}
}
