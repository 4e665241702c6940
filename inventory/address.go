package inventory

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Host address grammar of ansible.parsing.utils.addresses: hostnames,
// IPv4 and IPv6 addresses, each allowed to contain [x:y(:z)] ranges.
const (
	numericRange = `\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`
	hexRange     = `\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`
	alnumRange   = `\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`
	word         = `[\p{L}\p{N}_]` // Python's \w with re.UNICODE
	ipv6Part     = `(?:[0-9a-f]{1,4}|` + hexRange + `)`
	ipv4Part     = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|` + numericRange + `)`
	// a label starts and ends with a word character or range and may hold
	// - and _ inside (Python uses a lookbehind, RE2 has none)
	labelStart = `(?:` + word + `|` + alnumRange + `)`
	label      = labelStart + `(?:(?:[\p{L}\p{N}_-]|` + alnumRange + `)*` + labelStart + `)?`
)

var (
	reBracketedHostPort = regexp.MustCompile(`^\[(.+)\]:([0-9]+)$`)
	reHostPort          = regexp.MustCompile(`^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$`)
	reIPv4              = regexp.MustCompile(`(?i)^(?:` + ipv4Part + `\.){3}` + ipv4Part + `$`)
	// Ansible's pattern anchors only its first alternative at the start and
	// only its last at the end; Python's re.match anchors every one at the
	// start, so all but the last accept any tail.
	reIPv6 = regexp.MustCompile(strings.ReplaceAll(`(?i)^(?:`+strings.Join([]string{
		`(?:P:){7}P`,
		`(?:P:){1,6}:`,
		`(?:P:)(?::P){1,6}`,
		`(?:P:){2}(?::P){1,5}`,
		`(?:P:){3}(?::P){1,4}`,
		`(?:P:){4}(?::P){1,3}`,
		`(?:P:){5}(?::P){1,2}`,
		`(?:P:){6}(?::P)`,
		`:(?::P){1,6}`,
		`P?::`,
		`(?:0:){6}(?:P\.){3}P`,
		`::(?:ffff:)?(?:P\.){3}P`,
		`(?:0:){5}ffff:(?:P\.){3}P$`,
	}, "|")+`)`, "P", ipv6Part)) // P: one IPv6 component
	reHostname = regexp.MustCompile(`(?i)^` + label + `(?:\.` + label + `)*$`)
)

// parseAddress is parse_address(address, allow_ranges): it splits off a
// :port and checks that what is left is a host name or address.
func parseAddress(address string, allowRanges bool) (string, int, error) {
	port := 0
	if m := reBracketedHostPort.FindStringSubmatch(address); m != nil {
		address, port = m[1], atoiPort(m[2])
	}
	if m := reHostPort.FindStringSubmatch(address); m != nil {
		address, port = m[1], atoiPort(m[2])
	}
	if !reIPv4.MatchString(address) && !reIPv6.MatchString(address) && !reHostname.MatchString(address) {
		return "", 0, fmt.Errorf("not a valid network hostname: %s", address)
	}
	if !allowRanges && strings.Contains(address, "[") {
		return "", 0, errors.New("detected range in host but was asked to ignore ranges")
	}
	return address, port, nil
}

func atoiPort(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1 // too large to be a port; Python would keep the big int
	}
	return n
}

// expandHostPattern is the plugins' _expand_hostpattern: split the port
// when the pattern parses as an address, then expand [x:y] ranges.
func expandHostPattern(pattern string) ([]string, int, error) {
	host, port, err := parseAddress(pattern, true)
	if err != nil {
		host, port = pattern, 0
	}
	if port < 0 {
		return nil, 0, fmt.Errorf("port out of range in %q", pattern)
	}
	if !strings.Contains(host, "[") {
		return []string{host}, port, nil
	}
	names, err := expandRange(host)
	if err != nil {
		return nil, 0, err
	}
	return names, port, nil
}

const asciiLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// rangeError carries a hint for the caller's ParseError.
type rangeError struct{ msg, hint string }

func (e *rangeError) Error() string { return e.msg }

// expandRange expands the first [begin:end(:step)] in line, recursively,
// as expand_hostname_range does. Unlike Ansible, a range that yields no
// host at all (e.g. [3:1]) is an error rather than a silently empty group.
func expandRange(line string) ([]string, error) {
	s := strings.Replace(line, "[", "|", 1)
	s = strings.Replace(s, "]", "|", 1)
	parts := strings.Split(s, "|")
	if len(parts) != 3 {
		return nil, &rangeError{fmt.Sprintf("invalid host range in %q", line), "a range is written [begin:end] or [begin:end:step], e.g. web[01:10]"}
	}
	head, nrange, tail := parts[0], parts[1], parts[2]
	bounds := strings.Split(nrange, ":")
	if len(bounds) != 2 && len(bounds) != 3 {
		return nil, &rangeError{fmt.Sprintf("host range [%s] must be begin:end or begin:end:step", nrange), "e.g. web[1:5] or web[01:20:2]"}
	}
	beg, end, step := bounds[0], bounds[1], "1"
	if len(bounds) == 3 {
		step = bounds[2]
	}
	if beg == "" {
		beg = "0"
	}
	if end == "" {
		return nil, &rangeError{fmt.Sprintf("host range [%s] must specify end value", nrange), "e.g. web[1:5]"}
	}
	width := 0
	if beg[0] == '0' && len(beg) > 1 {
		width = len(beg)
		if width != len(end) {
			return nil, &rangeError{fmt.Sprintf("host range [%s] must specify equal-length begin and end formats", nrange), "zero-padded ranges need both bounds of the same width, e.g. [01:10]"}
		}
	}
	stepN, stepErr := strconv.Atoi(strings.TrimSpace(step))
	if stepErr != nil || stepN == 0 {
		return nil, &rangeError{fmt.Sprintf("host range [%s] has an invalid step %q", nrange, step), "the step must be a non-zero integer, e.g. [1:9:2]"}
	}
	var seq []string
	ib, ie := strings.Index(asciiLetters, beg), strings.Index(asciiLetters, end)
	if ib >= 0 && ie >= 0 && stepN > 0 {
		if ib > ie {
			return nil, &rangeError{fmt.Sprintf("host range [%s] must have begin <= end", nrange), "write the smaller bound first"}
		}
		for i := ib; i <= ie; i += stepN {
			seq = append(seq, asciiLetters[i:i+1])
		}
	} else {
		b, err1 := strconv.Atoi(strings.TrimSpace(beg))
		e, err2 := strconv.Atoi(strings.TrimSpace(end))
		if err1 != nil || err2 != nil {
			return nil, &rangeError{fmt.Sprintf("host range [%s] mixes letters and numbers or is not a range", nrange), "use [1:9] or [a:f]"}
		}
		for i := b; (stepN > 0 && i < e+1) || (stepN < 0 && i > e+1); i += stepN {
			n := strconv.Itoa(i)
			if width > 0 && len(n) < width {
				if i < 0 {
					n = "-" + strings.Repeat("0", width-len(n)) + n[1:]
				} else {
					n = strings.Repeat("0", width-len(n)) + n
				}
			}
			seq = append(seq, n)
		}
	}
	if len(seq) == 0 {
		return nil, &rangeError{fmt.Sprintf("host range [%s] yields no hosts: begin is after end", nrange), "write the smaller bound first, e.g. [1:3]"}
	}
	var out []string
	for _, x := range seq {
		name := head + x + tail
		if strings.Contains(name, "[") {
			more, err := expandRange(name)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		} else {
			out = append(out, name)
		}
	}
	return out, nil
}
