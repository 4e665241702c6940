package pyfmt

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/gossible/gossible/internal/keyorder"
)

// Str returns the str() Python would print for v: strings bare, everything
// else as Repr.
func Str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String() // a string type of its own (template.UnsafeText) is text too
	}
	return Repr(v)
}

// Repr returns Python's repr() of v.
func Repr(v any) string { return ReprWith(v, nil) }

// ReprWith is Repr for callers with value types of their own: other is
// asked about every value (nested ones too) that is not plain data (nil,
// bool, int, float64, string, []any, map[string]any) before Repr's own
// fallbacks; ok false leaves the value to them.
func ReprWith(v any, other func(v any) (s string, ok bool)) string {
	var b strings.Builder
	writeRepr(&b, v, other)
	return b.String()
}

func writeRepr(b *strings.Builder, v any, other func(any) (string, bool)) {
	switch t := v.(type) {
	case nil:
		b.WriteString("None")
		return
	case string:
		b.WriteString(Quote(t))
		return
	case bool:
		if t {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
		return
	case int:
		b.WriteString(strconv.Itoa(t))
		return
	case float64:
		b.WriteString(FloatRepr(t))
		return
	case map[string]any:
		b.WriteByte('{')
		for i, k := range keyorder.Keys(t) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(Quote(k))
			b.WriteString(": ")
			writeRepr(b, t[k], other)
		}
		b.WriteByte('}')
		return
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e, other)
		}
		b.WriteByte(']')
		return
	}
	if other != nil {
		if s, ok := other(v); ok {
			b.WriteString(s)
			return
		}
	}
	switch t := v.(type) {
	case []string:
		writeRepr(b, toAnySlice(t), other)
	case fmt.Stringer:
		b.WriteString(Quote(t.String()))
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.WriteString(strconv.FormatInt(rv.Int(), 10))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.WriteString(strconv.FormatUint(rv.Uint(), 10))
		case reflect.Slice, reflect.Array:
			writeRepr(b, reflectSlice(rv), other)
		case reflect.Map:
			writeRepr(b, reflectMap(rv), other)
		default:
			b.WriteString(Quote(fmt.Sprint(v)))
		}
	}
}

// Quote is Python's repr() of a str: single quotes unless the text holds a
// single quote and no double quote; control and non-printable characters
// escaped.
func Quote(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
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
		case r > 0x7f && !unicode.IsPrint(r):
			if r <= 0xff {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
