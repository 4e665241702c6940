package modules

import (
	"fmt"
	"strconv"
	"strings"
)

// modeError is Ansible's failure for a mode it cannot read; Details is its
// "details" key.
type modeError struct {
	Msg     string
	Details string
}

func (e *modeError) Error() string { return e.Msg + ": " + e.Details }

// resolveMode computes the permission bits a mode argument asks for, given
// the path's current bits, whether it is a directory, and the host's umask.
// An integer is used as it is (YAML's 0755 is already 493); a string of
// octal digits is octal ("755" too); anything else is a chmod symbolic mode
// interpreted as Ansible does (u/g/o/a, + - =, r w x X s t u g o; an empty
// "who" honours the umask).
func resolveMode(arg any, cur uint32, isDir bool, umask uint32) (uint32, error) {
	var m uint64
	switch v := arg.(type) {
	case int:
		m = uint64(v)
	case int64:
		m = uint64(v)
	case float64:
		m = uint64(v)
	case string:
		if n, err := strconv.ParseUint(v, 8, 64); err == nil {
			m = n
		} else {
			sm, err := symbolicMode(v, cur, isDir, umask)
			if err != nil {
				return 0, &modeError{Msg: "mode must be in octal or symbolic form", Details: err.Error()}
			}
			m = uint64(sm)
		}
	default:
		return 0, &modeError{Msg: "mode must be in octal or symbolic form", Details: fmt.Sprintf("bad symbolic permission for mode: %v", arg)}
	}
	if m > 0o7777 {
		return 0, &modeError{Msg: "Invalid mode supplied, only permission info is allowed", Details: strconv.FormatUint(m, 10)}
	}
	return uint32(m), nil
}

// checkModeSyntax validates a mode argument before anything is touched.
func checkModeSyntax(arg any) error {
	_, err := resolveMode(arg, 0o644, false, 0o022)
	return err
}

func symbolicMode(s string, cur uint32, isDir bool, umask uint32) (uint32, error) {
	mode := cur
	for _, clause := range strings.Split(s, ",") {
		i := strings.IndexAny(clause, "+-=")
		if i < 0 {
			return 0, fmt.Errorf("bad symbolic permission for mode: %s", clause)
		}
		users := clause[:i]
		useUmask := users == ""
		if users == "" || users == "a" {
			users = "ugo"
		}
		if strings.Trim(users, "ugo") != "" {
			return 0, fmt.Errorf("bad symbolic permission for mode: %s", clause)
		}
		rest := clause[i:]
		for rest != "" {
			op := rest[0]
			j := strings.IndexAny(rest[1:], "+-=")
			perms := rest[1:]
			if j >= 0 {
				perms = rest[1 : j+1]
				rest = rest[j+1:]
			} else {
				rest = ""
			}
			for _, c := range perms {
				if !strings.ContainsRune("rwxXstugo", c) {
					return 0, fmt.Errorf("'%c'", c)
				}
			}
			for _, u := range users {
				bits := permBits(byte(u), perms, cur, isDir, useUmask, umask)
				mode = applyOp(byte(u), op, bits, mode)
			}
		}
	}
	return mode, nil
}

// permBits is the bits perms stand for in user class u.
func permBits(u byte, perms string, cur uint32, isDir, useUmask bool, umask uint32) uint32 {
	shift := map[byte]uint{'u': 6, 'g': 3, 'o': 0}[u]
	keep := ^umask & 0o777
	var b uint32
	for _, c := range perms {
		switch c {
		case 'r', 'w', 'x':
			v := map[rune]uint32{'r': 4, 'w': 2, 'x': 1}[c] << shift
			if useUmask {
				v &= keep
			}
			b |= v
		case 'X':
			if isDir || cur&0o111 != 0 {
				b |= 1 << shift
			}
		case 's':
			switch u {
			case 'u':
				b |= 0o4000
			case 'g':
				b |= 0o2000
			}
		case 't':
			if u == 'o' {
				b |= 0o1000
			}
		case 'u', 'g', 'o':
			from := map[rune]uint{'u': 6, 'g': 3, 'o': 0}[c]
			b |= ((cur >> from) & 7) << shift
		}
	}
	return b
}

func applyOp(u byte, op byte, bits, mode uint32) uint32 {
	switch op {
	case '=':
		mask := map[byte]uint32{'u': 0o4700, 'g': 0o2070, 'o': 0o1007}[u]
		return mode&^mask | bits
	case '+':
		return mode | bits
	default:
		return mode &^ bits
	}
}
