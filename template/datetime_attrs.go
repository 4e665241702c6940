package template

import (
	"fmt"
	"math/big"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Attributes and methods of the datetime values: the fields, strftime, isoformat,
// timestamp, total_seconds... gonja looks an attribute up through GetAttribute and
// calls a method's function with the call's arguments. A missing attribute is
// Jinja2's undefined ("'datetime.datetime object' has no attribute 'x'"), which
// default() and `is defined` see as such.

// pyMethod is a method bound to its value.
type pyMethod func(c *call) (any, error)

// attrs are a value's attributes: fields are plain values, methods are called.
type attrs struct {
	owner   pyObject
	fields  map[string]any
	methods map[string]pyMethod
}

func (a attrs) get(name string) (*exec.Value, bool) {
	if v, ok := a.fields[name]; ok {
		return exec.ToValue(v), true
	}
	if m, ok := a.methods[name]; ok {
		return exec.ToValue(func(ev *exec.Evaluator, va *exec.VarArgs) (any, error) {
			out, err := m(methodCall(nil, va))
			if err != nil {
				err = &filterError{kind: "method", name: name, err: err}
				stateOf(ev).record(err) // gonja flattens a function's error into text
				return nil, err
			}
			return out, nil
		}), true
	}
	return exec.AsValue(&UndefinedError{Object: a.owner.pyType() + " object", Attr: name}), false
}

// objectItem is o[key] as Jinja2 reads it: an attribute for a string key, else
// undefined ("datetime.datetime object has no element 0").
func objectItem(o pyObject, key any) (*exec.Value, bool) {
	if name, ok := key.(string); ok {
		return o.GetAttribute(name)
	}
	i, _ := key.(int)
	return exec.AsValue(&UndefinedError{Object: o.pyType() + " object", Index: &i}), false
}

func (d datetimeValue) GetItem(key any) (*exec.Value, bool)   { return objectItem(d, key) }
func (d dateValue) GetItem(key any) (*exec.Value, bool)       { return objectItem(d, key) }
func (t timeValue) GetItem(key any) (*exec.Value, bool)       { return objectItem(t, key) }
func (td timedeltaValue) GetItem(key any) (*exec.Value, bool) { return objectItem(td, key) }

func (d datetimeValue) GetAttribute(name string) (*exec.Value, bool) {
	micro := d.t.Nanosecond() / 1000
	return attrs{owner: d, fields: map[string]any{
		"year": d.t.Year(), "month": int(d.t.Month()), "day": d.t.Day(),
		"hour": d.t.Hour(), "minute": d.t.Minute(), "second": d.t.Second(), "microsecond": micro,
	}, methods: map[string]pyMethod{
		"strftime": func(c *call) (any, error) {
			var offset *int
			if d.aware {
				off := d.offset()
				offset = &off
			}
			return strftimeMethod(c, d.t, micro, offset)
		},
		"isoformat": func(c *call) (any, error) {
			if err := builtinArgs(c, "isoformat", 0, "sep", "timespec"); err != nil {
				return nil, err
			}
			sep, ok := c.arg(0, "sep", "T").(string)
			if !ok || len([]rune(sep)) != 1 {
				return nil, typeErrorf("isoformat() argument 1 must be a unicode character, not %s", argTypeName(c.arg(0, "sep", nil)))
			}
			timespec, err := timespecArg(c, 1, "isoformat() argument 2")
			if err != nil {
				return nil, err
			}
			return d.isoformat(sep, timespec), nil
		},
		"timestamp": noArgs("datetime.timestamp", func() any {
			if d.aware {
				return microsToSeconds(big.NewInt(d.epochMicros()))
			}
			// a naive datetime is local time, as mktime() reads it
			local := time.Date(d.t.Year(), d.t.Month(), d.t.Day(), d.t.Hour(), d.t.Minute(), d.t.Second(), 0, time.Local)
			return float64(local.Unix()) + float64(micro)/1e6
		}),
		"date":       noArgs("datetime.date", func() any { return dateOf(d.t) }),
		"time":       noArgs("datetime.time", func() any { return timeValue{d.t.Hour(), d.t.Minute(), d.t.Second(), micro} }),
		"weekday":    noArgs("date.weekday", func() any { return (int(d.t.Weekday()) + 6) % 7 }),
		"isoweekday": noArgs("date.isoweekday", func() any { return (int(d.t.Weekday())+6)%7 + 1 }),
	}}.get(name)
}

func (d dateValue) GetAttribute(name string) (*exec.Value, bool) {
	return attrs{owner: d, fields: map[string]any{
		"year": d.t.Year(), "month": int(d.t.Month()), "day": d.t.Day(),
	}, methods: map[string]pyMethod{
		"strftime":   func(c *call) (any, error) { return strftimeMethod(c, d.t, 0, nil) },
		"isoformat":  noArgs("date.isoformat", func() any { return d.pyStr() }),
		"weekday":    noArgs("date.weekday", func() any { return (int(d.t.Weekday()) + 6) % 7 }),
		"isoweekday": noArgs("date.isoweekday", func() any { return (int(d.t.Weekday())+6)%7 + 1 }),
	}}.get(name)
}

func (t timeValue) GetAttribute(name string) (*exec.Value, bool) {
	return attrs{owner: t, fields: map[string]any{
		"hour": t.hour, "minute": t.minute, "second": t.second, "microsecond": t.micro,
	}, methods: map[string]pyMethod{
		"strftime": func(c *call) (any, error) {
			// time.strftime() reads a time as a moment of 1900-01-01
			return strftimeMethod(c, time.Date(1900, 1, 1, t.hour, t.minute, t.second, 0, time.UTC), t.micro, nil)
		},
		"isoformat": func(c *call) (any, error) {
			if err := builtinArgs(c, "isoformat", 0, "timespec"); err != nil {
				return nil, err
			}
			timespec, err := timespecArg(c, 0, "isoformat() argument 1")
			if err != nil {
				return nil, err
			}
			return isoTime(t.hour, t.minute, t.second, t.micro, timespec), nil
		},
	}}.get(name)
}

func (td timedeltaValue) GetAttribute(name string) (*exec.Value, bool) {
	days, seconds, micro := td.parts()
	return attrs{owner: td, fields: map[string]any{
		"days": int(days), "seconds": int(seconds), "microseconds": int(micro),
	}, methods: map[string]pyMethod{
		"total_seconds": noArgs("timedelta.total_seconds", func() any { return microsToSeconds(big.NewInt(td.us)) }),
	}}.get(name)
}

// dateOf is the date of t's fields.
func dateOf(t time.Time) dateValue {
	return dateValue{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

// microsToSeconds is us / 10**6 as Python's true division rounds it.
func microsToSeconds(us *big.Int) float64 {
	f, _ := new(big.Rat).SetFrac(us, big.NewInt(usPerSecond)).Float64()
	return f
}

// noArgs is a method taking no arguments; fn is its qualified name, as Python's
// messages give it ("datetime.timestamp").
func noArgs(fn string, value func() any) pyMethod {
	return func(c *call) (any, error) {
		if err := builtinArgs(c, fn, 0); err != nil {
			return nil, err
		}
		return value(), nil
	}
}

// builtinArgs checks the arguments of a built-in method taking params, by position or
// keyword, the first required of them required; the errors are Python's.
func builtinArgs(c *call, fn string, required int, params ...string) error {
	if len(params) == 0 {
		if len(c.args) > 0 {
			return typeErrorf("%s() takes no arguments (%d given)", fn, len(c.args))
		}
		if len(c.kwargs) > 0 {
			return typeErrorf("%s() takes no keyword arguments", fn)
		}
		return nil
	}
	if n := len(c.args) + len(c.kwargs); n > len(params) {
		s := "s"
		if len(params) == 1 {
			s = ""
		}
		return typeErrorf("%s() takes at most %d argument%s (%d given)", fn, len(params), s, n)
	}
	for i, p := range params[:required] {
		if _, ok := c.kwargs[p]; !ok && i >= len(c.args) {
			return typeErrorf("%s() missing required argument '%s' (pos %d)", fn, p, i+1)
		}
	}
	for _, k := range sortedKeys(c.kwargs) {
		known := false
		for _, p := range params {
			known = known || k == p
		}
		if !known {
			return typeErrorf("'%s' is an invalid keyword argument for %s()", k, fn)
		}
	}
	return nil
}

// argTypeName is the type name Python's argument errors give: None for None.
func argTypeName(v any) string {
	if v == nil {
		return "None"
	}
	return typeName(v)
}

// timespecArg is isoformat()'s timespec argument (at position i); what names it in an
// error.
func timespecArg(c *call, i int, what string) (string, error) {
	v := c.arg(i, "timespec", "auto")
	s, ok := v.(string)
	if !ok {
		return "", typeErrorf("%s must be str, not %s", what, argTypeName(v))
	}
	if !isoTimespecs[s] {
		return "", &plainError{"Unknown timespec value"}
	}
	return s, nil
}

// strftimeMethod is the strftime(format) method of a value whose fields are t's, with
// micro microseconds and, when aware, a UTC offset.
func strftimeMethod(c *call, t time.Time, micro int, offset *int) (any, error) {
	if err := builtinArgs(c, "strftime", 1, "format"); err != nil {
		return nil, err
	}
	v := c.arg(0, "format", nil)
	format, ok := v.(string)
	if !ok {
		return nil, typeErrorf("strftime() argument 1 must be str, not %s", argTypeName(v))
	}
	return pyStrftime(format, t, micro, offset), nil
}

// pyStrftime is datetime.strftime: Python itself writes %f (microseconds), %z and %Z
// (empty for a naive value), the C library the rest; %s is the fields read as local
// time, as mktime() reads them.
func pyStrftime(format string, t time.Time, micro int, offset *int) string {
	return expandStrftime(format, func(c byte) string {
		switch c {
		case 'f':
			return fmt.Sprintf("%06d", micro)
		case 'z':
			if offset != nil {
				return isoOffset(*offset, "")
			}
			return ""
		case 'Z':
			if offset != nil {
				return tzName(*offset)
			}
			return ""
		case 's':
			local := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.Local)
			return fmt.Sprint(local.Unix())
		}
		return strftimeField(c, t)
	})
}

// tzName is the name of a fixed-offset timezone: "UTC" or "UTC+02:00".
func tzName(offset int) string {
	if offset == 0 {
		return "UTC"
	}
	return "UTC" + isoOffset(offset, ":")
}
