package template

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/keyorder"
)

func init() {
	registerFilter(filterURLSplit, "urlsplit")
	registerFilter(filterURLDecode, "urldecode")
}

// urlsplit(query=""): Python's urlsplit as a dict (its attributes, sorted), or one of them.
func filterURLSplit(c *call) (any, error) {
	if err := c.sig("split_url", nil, "query", "alias"); err != nil {
		return nil, err
	}
	s, ok := c.in.(string)
	if !ok {
		return nil, &plainError{fmt.Sprintf("'%s' object has no attribute 'decode'", typeName(c.in))}
	}
	parts, err := urlSplit(s)
	if err != nil {
		return nil, err
	}
	q := pyStr(c.arg(0, "query", ""))
	if q == "" || c.arg(0, "query", "") == nil {
		return parts, nil
	}
	v, found := parts[q]
	if !found {
		return nil, &plainError{pyStr(c.arg(1, "alias", "urlsplit")) + ": unknown URL component: " + q}
	}
	return v, nil
}

func isSchemeChar(r rune, first bool) bool {
	alpha := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	return alpha || !first && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')
}

// urlSplit is urllib.parse.urlsplit with the SplitResult's attributes.
func urlSplit(u string) (map[string]any, error) {
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	scheme := ""
	if i := strings.Index(u, ":"); i > 0 {
		valid := true
		for k, r := range u[:i] {
			valid = valid && isSchemeChar(r, k == 0)
		}
		if valid {
			scheme, u = strings.ToLower(u[:i]), u[i+1:]
		}
	}
	netloc := ""
	if strings.HasPrefix(u, "//") {
		end := len(u)
		if i := strings.IndexAny(u[2:], "/?#"); i >= 0 {
			end = i + 2
		}
		netloc, u = u[2:end], u[end:]
	}
	fragment, query := "", ""
	if i := strings.Index(u, "#"); i >= 0 {
		u, fragment = u[:i], u[i+1:]
	}
	if i := strings.Index(u, "?"); i >= 0 {
		u, query = u[:i], u[i+1:]
	}
	out := map[string]any{"fragment": fragment, "netloc": netloc, "path": u, "query": query, "scheme": scheme}
	var user, pass, host any
	hostinfo := netloc
	if i := strings.LastIndex(netloc, "@"); i >= 0 {
		userinfo := netloc[:i]
		hostinfo = netloc[i+1:]
		user = userinfo
		if j := strings.Index(userinfo, ":"); j >= 0 {
			user, pass = userinfo[:j], userinfo[j+1:]
		}
	}
	portStr := ""
	h := hostinfo
	if strings.HasPrefix(hostinfo, "[") {
		if j := strings.Index(hostinfo, "]"); j >= 0 {
			h = hostinfo[1:j]
			if k := strings.Index(hostinfo[j:], ":"); k >= 0 {
				portStr = hostinfo[j+k+1:]
			}
		}
	} else if j := strings.Index(hostinfo, ":"); j >= 0 {
		h, portStr = hostinfo[:j], hostinfo[j+1:]
	}
	if h != "" {
		host = strings.ToLower(h)
	}
	var port any
	if portStr != "" {
		n, err := strconv.Atoi(portStr)
		if err != nil || strings.Trim(portStr, "0123456789") != "" {
			return nil, &plainError{fmt.Sprintf("Port could not be cast to integer value as %s", pyRepr(portStr))}
		}
		if n < 0 || n > 65535 {
			return nil, &plainError{"Port out of range 0-65535"}
		}
		port = n
	}
	out["username"], out["password"], out["hostname"], out["port"] = user, pass, host, port
	keyorder.Record(out, []string{"fragment", "hostname", "netloc", "password", "path", "port", "query", "scheme", "username"})
	return out, nil
}

// urldecode is unquote_plus: '+' is a space, %XX a byte; the bytes are read as UTF-8.
func filterURLDecode(c *call) (any, error) {
	if err := c.sig("unquote_plus", nil, "encoding", "errors"); err != nil {
		return nil, err
	}
	s, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("a bytes-like object is required, not '%s'", typeName(c.in))
	}
	s = strings.ReplaceAll(s, "+", " ")
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(n))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
