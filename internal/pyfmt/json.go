package pyfmt

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gossible/gossible/internal/keyorder"
)

// JSON returns v as json.dumps(v, sort_keys=True, ensure_ascii=False,
// indent=indent) would, which is how Ansible's callbacks print; indent 0
// means the compact one-line form with ", " and ": " separators. Values
// that are not plain data print as their nearest JSON form (ints and uints
// as numbers, other slices and maps as arrays and objects, a JSONData()
// method's result, Stringers and the rest as strings).
func JSON(v any, indent int) string {
	d := Dumps{Indent: indent, SortKeys: true}
	if indent == 0 {
		d.Indent = -1
	}
	s, _ := d.String(v) // no Other, so no error
	return s
}

// Dumps are the arguments of json.dumps that change its text.
type Dumps struct {
	// Indent < 0 is the one-line form with ", " and ": " separators; from 0
	// on, every item starts a new line indented Indent spaces per level.
	Indent int
	// SortKeys sorts mapping keys; else they come in recorded order (see
	// internal/keyorder).
	SortKeys bool
	// EnsureASCII escapes every character outside printable ASCII, those
	// above U+FFFF as a surrogate pair.
	EnsureASCII bool
	// Other turns a value that is not plain data (nil, bool, int, float64,
	// string, []any, map[string]any) into one to dump instead, or fails the
	// dump. Nil means the fallbacks JSON documents.
	Other func(v any) (any, error)
}

// String returns v as json.dumps with d's arguments writes it.
func (d Dumps) String(v any) (string, error) {
	var b strings.Builder
	if err := d.write(&b, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (d Dumps) write(b *strings.Builder, v any, depth int) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		d.writeString(b, t)
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int:
		b.WriteString(strconv.Itoa(t))
	case float64:
		b.WriteString(Float(t))
	case number:
		b.WriteString(string(t))
	case map[string]any:
		if len(t) == 0 {
			b.WriteString("{}")
			return nil
		}
		keys := keyorder.Keys(t)
		if d.SortKeys {
			keys = sortedKeys(t)
		}
		b.WriteByte('{')
		for i, k := range keys {
			d.sep(b, i, depth+1)
			d.writeString(b, k)
			b.WriteString(": ")
			if err := d.write(b, t[k], depth+1); err != nil {
				return err
			}
		}
		d.closing(b, depth)
		b.WriteByte('}')
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, e := range t {
			d.sep(b, i, depth+1)
			if err := d.write(b, e, depth+1); err != nil {
				return err
			}
		}
		d.closing(b, depth)
		b.WriteByte(']')
	default:
		if d.Other != nil {
			n, err := d.Other(v)
			if err != nil {
				return err
			}
			return d.write(b, n, depth)
		}
		return d.write(b, fallback(v), depth)
	}
	return nil
}

// number is an integer of another Go type, already formatted.
type number string

// fallback is the plain data JSON prints for a value of another type.
func fallback(v any) any {
	switch t := v.(type) {
	case []string:
		return toAnySlice(t)
	case float32:
		return float64(t)
	case interface{ JSONData() any }:
		// a value with its own JSON form (a vault value never opened)
		return t.JSONData()
	case fmt.Stringer:
		return t.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return number(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return number(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Slice, reflect.Array:
		return reflectSlice(rv)
	case reflect.Map:
		return reflectMap(rv)
	}
	return fmt.Sprint(v)
}

func (d Dumps) sep(b *strings.Builder, i, depth int) {
	if d.Indent < 0 {
		if i > 0 {
			b.WriteString(", ")
		}
		return
	}
	if i > 0 {
		b.WriteByte(',')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(" ", d.Indent*depth))
}

func (d Dumps) closing(b *strings.Builder, depth int) {
	if d.Indent >= 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Repeat(" ", d.Indent*depth))
	}
}

// writeString escapes as Python's json module does: ", \ and control
// characters always, everything outside printable ASCII with EnsureASCII.
// A byte that is not UTF-8 (Python text never holds one) comes out as the
// escaped replacement character, so the output stays valid UTF-8.
func (d Dumps) writeString(b *strings.Builder, s string) {
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
		case d.EnsureASCII && r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		case d.EnsureASCII && r > 0x7e:
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
