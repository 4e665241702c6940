package template

import (
	"fmt"
	"strings"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's datetime values. to_datetime and now() return a datetime.datetime, and
// templates do arithmetic on it ((a | to_datetime) - (b | to_datetime)).days, so these
// are values of their own rather than text: they print as Python's str() and repr(),
// name their type as Python does, and their operators and attributes are Python's
// (datetime_ops.go, datetime_attrs.go). They are structs, so gonja never mistakes one
// for a number, a string or a sequence.

// pyObject is a template value of a Python type of its own.
type pyObject interface {
	pyType() string // the qualified name Python's messages use: "datetime.datetime"
	pyStr() string  // str()
	pyRepr() string // repr()
	exec.AttributeGetter
}

// pyShortType is type(v).__name__, which type_debug shows: "datetime".
func pyShortType(o pyObject) string {
	n := o.pyType()
	return n[strings.LastIndexByte(n, '.')+1:]
}

// datetimeValue is datetime.datetime at microsecond precision. t holds the wall-clock
// fields: in UTC when the datetime is naive, in its fixed UTC offset when it is aware.
type datetimeValue struct {
	t     time.Time
	aware bool
}

// dateValue is datetime.date: t is its midnight in UTC.
type dateValue struct{ t time.Time }

// timeValue is a naive datetime.time.
type timeValue struct{ hour, minute, second, micro int }

// timedeltaValue is datetime.timedelta, in microseconds. int64 holds ±106,751,991 days,
// far more than the span of datetimes (years 1 to 9999); only scaling past that fails.
type timedeltaValue struct{ us int64 }

const (
	usPerSecond = int64(1_000_000)
	usPerDay    = 86_400 * usPerSecond
)

// Python's datetime.MINYEAR and MAXYEAR.
const (
	minYear = 1
	maxYear = 9999
)

// errDateRange is Python's OverflowError for a result outside years 1 to 9999; Ansible
// shows its text alone.
var errDateRange = &plainError{"date value out of range"}

// newDatetime is the datetime of these fields; offset (seconds east of UTC) makes it
// aware when not nil.
func newDatetime(year, month, day, hour, minute, second, micro int, offset *int) datetimeValue {
	loc := time.UTC
	if offset != nil {
		loc = time.FixedZone("", *offset)
	}
	return datetimeValue{t: time.Date(year, time.Month(month), day, hour, minute, second, micro*1000, loc), aware: offset != nil}
}

// epochMicros is the datetime as microseconds since 1970-01-01: of its wall clock when
// naive, of its instant when aware.
func (d datetimeValue) epochMicros() int64 {
	return d.t.Unix()*usPerSecond + int64(d.t.Nanosecond()/1000)
}

// offset is the UTC offset of an aware datetime, in seconds.
func (d datetimeValue) offset() int {
	_, off := d.t.Zone()
	return off
}

// plus is d moved by us microseconds, keeping its offset; outside years 1 to 9999 it
// is Python's OverflowError.
func (d datetimeValue) plus(us int64) (datetimeValue, error) {
	total, ok := addInt64(d.epochMicros(), us)
	if !ok {
		return datetimeValue{}, errDateRange
	}
	sec, micro := floorDivMod(total, usPerSecond)
	t := time.Unix(sec, micro*1000).In(d.t.Location())
	if t.Year() < minYear || t.Year() > maxYear {
		return datetimeValue{}, errDateRange
	}
	return datetimeValue{t: t, aware: d.aware}, nil
}

func (d datetimeValue) pyType() string { return "datetime.datetime" }
func (d datetimeValue) pyStr() string  { return d.isoformat(" ", "auto") }
func (d datetimeValue) String() string { return d.pyStr() } // gonja's ~ and string filters

func (d datetimeValue) pyRepr() string {
	fields := []int{d.t.Year(), int(d.t.Month()), d.t.Day(), d.t.Hour(), d.t.Minute(), d.t.Second(), d.t.Nanosecond() / 1000}
	out := "datetime.datetime(" + reprFields(fields, 5) + ")"
	if d.aware {
		out = strings.TrimSuffix(out, ")") + ", tzinfo=" + reprTimezone(d.offset()) + ")"
	}
	return out
}

// isoformat is datetime.isoformat(sep, timespec); timespec is checked by the caller.
func (d datetimeValue) isoformat(sep, timespec string) string {
	out := isoDate(d.t) + sep + isoTime(d.t.Hour(), d.t.Minute(), d.t.Second(), d.t.Nanosecond()/1000, timespec)
	if d.aware {
		out += isoOffset(d.offset(), ":")
	}
	return out
}

func (d dateValue) pyType() string { return "datetime.date" }
func (d dateValue) pyStr() string  { return isoDate(d.t) }
func (d dateValue) String() string { return d.pyStr() }
func (d dateValue) pyRepr() string {
	return "datetime.date(" + reprFields([]int{d.t.Year(), int(d.t.Month()), d.t.Day()}, 3) + ")"
}

// plusDays is the date days later; outside years 1 to 9999 it is Python's OverflowError.
func (d dateValue) plusDays(days int64) (dateValue, error) {
	if days > maxYear*366 || days < -maxYear*366 {
		return dateValue{}, errDateRange
	}
	t := d.t.AddDate(0, 0, int(days))
	if t.Year() < minYear || t.Year() > maxYear {
		return dateValue{}, errDateRange
	}
	return dateValue{t: t}, nil
}

func (t timeValue) pyType() string { return "datetime.time" }
func (t timeValue) pyStr() string  { return isoTime(t.hour, t.minute, t.second, t.micro, "auto") }
func (t timeValue) String() string { return t.pyStr() }
func (t timeValue) pyRepr() string {
	return "datetime.time(" + reprFields([]int{t.hour, t.minute, t.second, t.micro}, 2) + ")"
}

// micros orders times.
func (t timeValue) micros() int64 {
	return (int64(t.hour)*3600+int64(t.minute)*60+int64(t.second))*usPerSecond + int64(t.micro)
}

// parts are Python's normalized timedelta attributes: 0 <= seconds < 86400 and
// 0 <= microseconds < 10**6, the sign carried by days.
func (td timedeltaValue) parts() (days, seconds, micro int64) {
	days, rest := floorDivMod(td.us, usPerDay)
	return days, rest / usPerSecond, rest % usPerSecond
}

func (td timedeltaValue) pyType() string { return "datetime.timedelta" }
func (td timedeltaValue) String() string { return td.pyStr() }

// pyStr is "[D day[s], ]H:MM:SS[.ffffff]", a negative delta as -1 day plus a positive
// time ("-1 day, 23:59:59").
func (td timedeltaValue) pyStr() string {
	days, seconds, micro := td.parts()
	out := fmt.Sprintf("%d:%02d:%02d", seconds/3600, seconds/60%60, seconds%60)
	if micro != 0 {
		out += fmt.Sprintf(".%06d", micro)
	}
	if days != 0 {
		plural := "s"
		if days == 1 || days == -1 {
			plural = ""
		}
		out = fmt.Sprintf("%d day%s, %s", days, plural, out)
	}
	return out
}

func (td timedeltaValue) pyRepr() string {
	days, seconds, micro := td.parts()
	var args []string
	for _, p := range []struct {
		name string
		n    int64
	}{{"days", days}, {"seconds", seconds}, {"microseconds", micro}} {
		if p.n != 0 {
			args = append(args, fmt.Sprintf("%s=%d", p.name, p.n))
		}
	}
	if len(args) == 0 {
		return "datetime.timedelta(0)"
	}
	return "datetime.timedelta(" + strings.Join(args, ", ") + ")"
}

// reprFields joins the fields of a date or time repr, dropping trailing zeros down to
// keep fields, as Python does ("datetime.datetime(2016, 8, 14, 20, 0)").
func reprFields(fields []int, keep int) string {
	for len(fields) > keep && fields[len(fields)-1] == 0 {
		fields = fields[:len(fields)-1]
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprint(f)
	}
	return strings.Join(parts, ", ")
}

// reprTimezone is repr() of the datetime.timezone of a fixed offset.
func reprTimezone(offset int) string {
	if offset == 0 {
		return "datetime.timezone.utc"
	}
	return "datetime.timezone(" + timedeltaValue{us: int64(offset) * usPerSecond}.pyRepr() + ")"
}

func isoDate(t time.Time) string {
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), int(t.Month()), t.Day())
}

// isoTimespecs are the timespec values isoformat() takes.
var isoTimespecs = map[string]bool{"auto": true, "hours": true, "minutes": true, "seconds": true, "milliseconds": true, "microseconds": true}

// isoTime is the time part of isoformat() at the precision timespec names.
func isoTime(hour, minute, second, micro int, timespec string) string {
	if timespec == "auto" {
		timespec = "seconds"
		if micro != 0 {
			timespec = "microseconds"
		}
	}
	switch timespec {
	case "hours":
		return fmt.Sprintf("%02d", hour)
	case "minutes":
		return fmt.Sprintf("%02d:%02d", hour, minute)
	case "milliseconds":
		return fmt.Sprintf("%02d:%02d:%02d.%03d", hour, minute, second, micro/1000)
	case "microseconds":
		return fmt.Sprintf("%02d:%02d:%02d.%06d", hour, minute, second, micro)
	}
	return fmt.Sprintf("%02d:%02d:%02d", hour, minute, second)
}

// isoOffset writes a UTC offset as +HH<sep>MM, with <sep>SS when it has seconds:
// isoformat's and str()'s form with ":", strftime's %z with "".
func isoOffset(offset int, sep string) string {
	sign := "+"
	if offset < 0 {
		sign, offset = "-", -offset
	}
	out := fmt.Sprintf("%s%02d%s%02d", sign, offset/3600, sep, offset/60%60)
	if offset%60 != 0 {
		out += fmt.Sprintf("%s%02d", sep, offset%60)
	}
	return out
}

// floorDivMod is Python's divmod for a positive divisor: the remainder is never negative.
func floorDivMod(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// addInt64 is a + b, and false when it overflows.
func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}
