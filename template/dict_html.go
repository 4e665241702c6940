package template

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"github.com/gossible/gossible/internal/pyfmt"
)

// urlencode and xmlattr of a mapping, as Jinja2 3.1 writes them: items in the dict's order
// (gonja sorts them and drops falsy xmlattr values).

// urlencodeDict is do_urlencode of a dict: k=v pairs, both quoted for a query string.
func urlencodeDict(m map[string]any, _ *exec.VarArgs) (string, error) {
	parts := make([]string, 0, len(m))
	for _, k := range orderedKeys(m) {
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(pyStr(normalize(m[k]))))
	}
	return strings.Join(parts, "&"), nil
}

var reAttrKey = regexp.MustCompile(`[\s/>=]`)

var markupEscape = strings.NewReplacer("&", "&amp;", ">", "&gt;", "<", "&lt;", "'", "&#39;", `"`, "&#34;")

// xmlattrDict is do_xmlattr: key="value" for every value that is not None, escaped, with a
// leading space unless autospace=False.
func xmlattrDict(m map[string]any, params *exec.VarArgs) (string, error) {
	autospace := true
	if len(params.Args) > 0 {
		autospace = truthy(toGo(params.Args[0]))
	}
	if v, ok := params.KwArgs["autospace"]; ok {
		autospace = truthy(toGo(v))
	}
	var items []string
	for _, k := range orderedKeys(m) {
		v := normalize(m[k])
		if v == nil {
			continue
		}
		if reAttrKey.MatchString(k) {
			return "", fmt.Errorf("Invalid character in attribute name: %s", pyfmt.Quote(k))
		}
		items = append(items, markupEscape.Replace(k)+`="`+markupEscape.Replace(pyStr(v))+`"`)
	}
	out := strings.Join(items, " ")
	if autospace && out != "" {
		out = " " + out
	}
	return out, nil
}
