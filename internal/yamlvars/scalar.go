package yamlvars

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/vault"
)

// Ansible reads YAML with PyYAML, i.e. YAML 1.1 typing; yaml.v3 follows
// YAML 1.2, so plain scalars are re-typed here with PyYAML's resolvers.
var (
	reBool  = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	reInt   = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	reFloat = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	reNull  = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
)

// Tags Ansible's loader knows besides YAML's own.
const (
	TagUnsafe = "!unsafe"
)

// IsUnsafe reports whether n is tagged !unsafe.
func IsUnsafe(n *yaml.Node) bool { return n != nil && n.Tag == TagUnsafe }

// Scalar types one scalar node the PyYAML way: string, int, float64, bool
// or nil. A !vault value is an error here (Value decrypts it); the error
// has no file name (*Error with Line and Col).
func Scalar(n *yaml.Node) (any, error) {
	v := n.Value
	if vault.IsVaultNode(n) {
		return nil, &Error{Line: n.Line, Col: n.Column, Msg: "a vault-encrypted value cannot be used here", Hint: "use a plain value for this keyword"}
	}
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!str", TagUnsafe, "tag:yaml.org,2002:str", "!!binary", "!!timestamp":
			return v, nil
		case "!!int":
			if i, ok := y11Int(strings.TrimSpace(v)); ok && v != "" {
				return i, nil
			}
			return nil, &Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf("invalid !!int value %q", v)}
		case "!!float":
			if _, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64); err == nil || reFloat.MatchString(v) {
				return y11Float(v), nil
			}
			return nil, &Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf("invalid !!float value %q", v)}
		case "!!bool", "!!null":
			// resolved as plain below
		default:
			if !strings.HasPrefix(n.Tag, "!!") {
				return nil, &Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf("gossible does not support the YAML tag '%s' yet", n.Tag)}
			}
			return v, nil
		}
	} else if n.Style != 0 {
		return v, nil // quoted, literal or folded: always a string
	}
	switch {
	case reNull.MatchString(v):
		return nil, nil
	case reBool.MatchString(v):
		switch v[0] {
		case 'y', 'Y', 't', 'T':
			return true, nil
		case 'o', 'O':
			return v == "on" || v == "On" || v == "ON", nil
		}
		return false, nil
	case reInt.MatchString(v):
		if i, ok := y11Int(v); ok {
			return i, nil
		}
		return v, nil // too large for an int: keep the text
	case reFloat.MatchString(v):
		return y11Float(v), nil
	}
	return v, nil
}

func y11Int(v string) (int, bool) {
	s := strings.ReplaceAll(v, "_", "")
	if s == "" {
		return 0, false
	}
	sign := 1
	if s[0] == '-' || s[0] == '+' {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n int64
	var err error
	switch {
	case s == "0":
		return 0, true
	case strings.HasPrefix(s, "0b"):
		n, err = strconv.ParseInt(s[2:], 2, 64)
	case strings.HasPrefix(s, "0x"):
		n, err = strconv.ParseInt(s[2:], 16, 64)
	case s[0] == '0':
		n, err = strconv.ParseInt(s[1:], 8, 64)
	case strings.Contains(s, ":"):
		for _, d := range strings.Split(s, ":") {
			x, e := strconv.ParseInt(d, 10, 64)
			if e != nil {
				return 0, false
			}
			n = n*60 + x
		}
	default:
		n, err = strconv.ParseInt(s, 10, 64)
	}
	if err != nil {
		return 0, false
	}
	return sign * int(n), true
}

func y11Float(v string) float64 {
	s := strings.ToLower(strings.ReplaceAll(v, "_", ""))
	sign := 1.0
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	switch {
	case s == ".inf":
		return sign * math.Inf(1)
	case s == ".nan":
		return math.NaN()
	case strings.Contains(s, ":"):
		f := 0.0
		for _, d := range strings.Split(s, ":") {
			x, _ := strconv.ParseFloat(d, 64)
			f = f*60 + x
		}
		return sign * f
	}
	f, _ := strconv.ParseFloat(s, 64)
	return sign * f
}
