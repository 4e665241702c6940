package pyfmt

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSON returns v as json.dumps(v, sort_keys=True, ensure_ascii=False,
// indent=indent) would; indent 0 means the compact one-line form with ", "
// and ": " separators. Values that are not plain data print as their
// nearest JSON form (ints and uints as numbers, other slices and maps as
// arrays and objects, Stringers and the rest as strings).
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
		b.WriteString(strconv.FormatBool(t))
	case int:
		b.WriteString(strconv.Itoa(t))
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
		b.WriteString(Float(t))
	case float32:
		b.WriteString(Float(float64(t)))
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
// only ", \ and control characters are escaped. A byte that is not UTF-8
// (Python text never holds one) comes out as the escaped replacement
// character, so the output stays valid UTF-8.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r == utf8.RuneError && n == 1:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // byte order of UTF-8 is code point order, as Python sorts
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
