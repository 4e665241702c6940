// Package pyfmt formats values the way Ansible's Python callbacks print them:
// JSON as json.dumps(sort_keys=True, ensure_ascii=False) does, with or
// without indent=4, and the str() of a Python value for loop item labels.
// JSON sorts mapping keys, as the callbacks ask; Str and Repr print them in
// the order recorded by internal/keyorder (Python dicts keep insertion
// order), sorted for maps never recorded.
package pyfmt

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gossible/gossible/internal/keyorder"
)

// JSON returns v as json.dumps(v, sort_keys=True, ensure_ascii=False,
// indent=indent) would; indent 0 means the compact one-line form with ", "
// and ": " separators.
func JSON(v any, indent int) string {
	var b strings.Builder
	writeJSON(&b, v, indent, 0)
	return b.String()
}

func writeJSON(b *strings.Builder, v any, indent, depth int) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, t)
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case map[string]any:
		keys := sortedKeys(t)
		if len(keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range keys {
			sep(b, i, indent, depth+1)
			writeJSONString(b, k)
			b.WriteString(": ")
			writeJSON(b, t[k], indent, depth+1)
		}
		closing(b, indent, depth)
		b.WriteByte('}')
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range t {
			sep(b, i, indent, depth+1)
			writeJSON(b, e, indent, depth+1)
		}
		closing(b, indent, depth)
		b.WriteByte(']')
	case []string:
		writeJSON(b, toAnySlice(t), indent, depth)
	case float64:
		b.WriteString(pyFloat(t))
	case float32:
		b.WriteString(pyFloat(float64(t)))
	case fmt.Stringer:
		writeJSONString(b, t.String())
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		case reflect.Slice, reflect.Array:
			writeJSON(b, reflectSlice(rv), indent, depth)
		case reflect.Map:
			writeJSON(b, reflectMap(rv), indent, depth)
		default:
			writeJSONString(b, fmt.Sprint(v))
		}
	}
}

func sep(b *strings.Builder, i, indent, depth int) {
	if indent == 0 {
		if i > 0 {
			b.WriteString(", ")
		}
		return
	}
	if i > 0 {
		b.WriteByte(',')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(" ", indent*depth))
}

func closing(b *strings.Builder, indent, depth int) {
	if indent > 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", indent*depth))
	}
}

// writeJSONString escapes as Python's json module with ensure_ascii=False:
// only ", \ and control characters are escaped.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == utf8.RuneError {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// pyFloat formats a float as Python's repr does.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	abs := math.Abs(f)
	if abs >= 1e16 || abs < 1e-4 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Python writes 1e-05 and 1e+16: at least two exponent digits.
		if i := strings.IndexAny(s, "e"); i >= 0 {
			mant, exp := s[:i], s[i+1:]
			sign := exp[0]
			digits := exp[1:]
			if len(digits) < 2 {
				digits = "0" + digits
			}
			return mant + "e" + string(sign) + digits
		}
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Str returns the str() Python would print for v: strings bare, containers
// with repr() of their elements.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return Repr(v)
}

// Repr returns Python's repr() of v.
func Repr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("None")
	case string:
		b.WriteString(reprString(t))
	case bool:
		if t {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case float64:
		s := pyFloat(t)
		switch s {
		case "Infinity":
			s = "inf"
		case "-Infinity":
			s = "-inf"
		case "NaN":
			s = "nan"
		}
		b.WriteString(s)
	case map[string]any:
		b.WriteByte('{')
		for i, k := range keyorder.Keys(t) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(reprString(k))
			b.WriteString(": ")
			writeRepr(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e)
		}
		b.WriteByte(']')
	case []string:
		writeRepr(b, toAnySlice(t))
	case fmt.Stringer:
		b.WriteString(reprString(t.String()))
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		case reflect.Slice, reflect.Array:
			writeRepr(b, reflectSlice(rv))
		case reflect.Map:
			writeRepr(b, reflectMap(rv))
		default:
			b.WriteString(reprString(fmt.Sprint(v)))
		}
	}
}

// reprString quotes like Python: single quotes unless the text holds a
// single quote and no double quote.
func reprString(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func toAnySlice(s []string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

func reflectSlice(rv reflect.Value) []any {
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}

func reflectMap(rv reflect.Value) map[string]any {
	out := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		out[fmt.Sprint(it.Key().Interface())] = it.Value().Interface()
	}
	return out
}
