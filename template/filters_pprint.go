package template

import (
	"strings"

	"github.com/gossible/gossible/internal/pyfmt"
)

// pprint is Jinja2's do_pprint, Python's pprint.pformat(value): dict keys sorted, and a
// value whose repr does not fit in 80 columns laid out one item per line. (Python also
// splits a long string into several literals; that is not done here.)
func init() {
	registerFilter(filterPPrint, "pprint")
}

const pprintWidth = 80

func filterPPrint(c *call) (any, error) {
	var b strings.Builder
	pformat(&b, c.in, 0, 0)
	return b.String(), nil
}

// pformat is pprint's _format: indent is the current column, allowance the room the
// closing brackets after this value need.
func pformat(b *strings.Builder, v any, indent, allowance int) {
	rep := reprSorted(v)
	if len(rep) <= pprintWidth-indent-allowance {
		b.WriteString(rep)
		return
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			break
		}
		b.WriteByte('{')
		keys := sortedKeys(t)
		in := indent + 1
		for i, k := range keys {
			last := i == len(keys)-1
			kr := pyfmt.Quote(k)
			b.WriteString(kr + ": ")
			pformat(b, t[k], in+len(kr)+2, itemAllowance(last, allowance+1))
			if !last {
				b.WriteString(",\n" + strings.Repeat(" ", in))
			}
		}
		b.WriteByte('}')
		return
	case []any:
		if len(t) == 0 {
			break
		}
		b.WriteByte('[')
		in := indent + 1
		for i, e := range t {
			last := i == len(t)-1
			pformat(b, e, in, itemAllowance(last, allowance+1))
			if !last {
				b.WriteString(",\n" + strings.Repeat(" ", in))
			}
		}
		b.WriteByte(']')
		return
	}
	b.WriteString(rep)
}

func itemAllowance(last bool, allowance int) int {
	if last {
		return allowance
	}
	return 1
}

// reprSorted is repr() with dict keys sorted, as pprint writes them.
func reprSorted(v any) string {
	switch t := normalize(v).(type) {
	case map[string]any:
		parts := make([]string, 0, len(t))
		for _, k := range sortedKeys(t) {
			parts = append(parts, pyfmt.Quote(k)+": "+reprSorted(t[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = reprSorted(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return pyRepr(t)
	}
}
