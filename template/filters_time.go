package template

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nikolalohinski/gonja/v2/exec"
)

func init() {
	registerFilter(filterStrftime, "strftime")
	registerFilter(filterToDatetime, "to_datetime")
}

// timeGlobals are Ansible's time functions templates call (installed by New).
var timeGlobals = map[string]any{"now": globalNow}

// now(utc=False, fmt=None) is the current local (or UTC) time as a naive datetime, or
// its strftime(fmt) when fmt is given.
func globalNow(ev *exec.Evaluator, va *exec.VarArgs) (any, error) {
	fail := func(err error) (any, error) {
		err = &filterError{kind: "function", name: "now", err: err}
		stateOf(ev).record(err) // gonja flattens a function's error into text
		return nil, err
	}
	c := methodCall(nil, va)
	if err := c.sig("Templar._now_datetime", nil, "utc", "fmt"); err != nil {
		return fail(err)
	}
	t := time.Now()
	if c.boolArg(0, "utc", false) {
		t = t.UTC()
	}
	now := newDatetime(t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000, nil)
	if f := c.arg(1, "fmt", nil); truthy(f) {
		format, ok := f.(string)
		if !ok {
			return fail(typeErrorf("strftime() argument 1 must be str, not %s", argTypeName(f)))
		}
		return pyStrftime(format, now.t, now.t.Nanosecond()/1000, nil), nil
	}
	return now, nil
}

// strftime(second=None, utc=False): the format applied to the time `second` (epoch
// seconds; now when absent), in local time or UTC.
func filterStrftime(c *call) (any, error) {
	if err := c.sig("strftime", nil, "second", "utc"); err != nil {
		return nil, err
	}
	format, ok := c.in.(string)
	if !ok {
		return nil, typeErrorf("strftime() argument 1 must be str, not %s", typeName(c.in))
	}
	t := time.Now()
	if s := c.arg(0, "second", nil); s != nil {
		f, ok := number(s)
		if str, isStr := s.(string); isStr {
			var err error
			f, err = strconv.ParseFloat(strings.TrimSpace(str), 64)
			ok = err == nil
		}
		if !ok {
			return nil, &plainError{fmt.Sprintf("Invalid value for epoch value (%s)", pyStr(s))}
		}
		t = time.Unix(int64(f), 0) // time.localtime truncates the fraction
	}
	if c.boolArg(1, "utc", false) {
		t = t.UTC()
	} else {
		t = t.Local()
	}
	return cStrftime(format, t), nil
}

var (
	weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// cStrftime is C's strftime in the C locale for the directives playbooks use; an unknown
// directive is written as it is, as glibc does.
func cStrftime(format string, t time.Time) string {
	return expandStrftime(format, func(c byte) string { return strftimeField(c, t) })
}

// expandStrftime writes format with each %X directive replaced by field(X); a lone
// trailing % stays as it is.
func expandStrftime(format string, field func(byte) string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			b.WriteByte(format[i])
			continue
		}
		i++
		b.WriteString(field(format[i]))
	}
	return b.String()
}

// strftimeShorthands are the directives C defines as formats of other directives.
var strftimeShorthands = map[byte]string{
	'D': "%m/%d/%y",
	'F': "%Y-%m-%d",
	'T': "%H:%M:%S",
	'R': "%H:%M",
	'r': "%I:%M:%S %p",
	'c': "%a %b %e %H:%M:%S %Y",
	'x': "%m/%d/%y",
	'X': "%H:%M:%S",
}

// strftimeField is directive d of t.
func strftimeField(d byte, t time.Time) string {
	if f, ok := strftimeShorthands[d]; ok {
		return cStrftime(f, t)
	}
	d2 := func(n int) string { return fmt.Sprintf("%02d", n) }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch d {
	case 'Y':
		return strconv.Itoa(t.Year())
	case 'y':
		return d2(t.Year() % 100)
	case 'C':
		return d2(t.Year() / 100)
	case 'm':
		return d2(int(t.Month()))
	case 'd':
		return d2(t.Day())
	case 'e':
		return fmt.Sprintf("%2d", t.Day())
	case 'H':
		return d2(t.Hour())
	case 'k':
		return fmt.Sprintf("%2d", t.Hour())
	case 'I':
		return d2(hour12)
	case 'l':
		return fmt.Sprintf("%2d", hour12)
	case 'M':
		return d2(t.Minute())
	case 'S':
		return d2(t.Second())
	case 'p':
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	case 'a':
		return weekdays[t.Weekday()][:3]
	case 'A':
		return weekdays[t.Weekday()]
	case 'b', 'h':
		return months[t.Month()-1][:3]
	case 'B':
		return months[t.Month()-1]
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay())
	case 'u':
		return strconv.Itoa((int(t.Weekday())+6)%7 + 1)
	case 'w':
		return strconv.Itoa(int(t.Weekday()))
	case 'U':
		return d2((t.YearDay() + 6 - int(t.Weekday())) / 7)
	case 'W':
		return d2((t.YearDay() + 6 - (int(t.Weekday())+6)%7) / 7)
	case 'V':
		_, w := t.ISOWeek()
		return d2(w)
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.Itoa(y)
	case 's':
		return strconv.FormatInt(t.Unix(), 10)
	case 'z':
		return t.Format("-0700")
	case 'Z':
		return t.Format("MST")
	case 'n':
		return "\n"
	case 't':
		return "\t"
	case '%':
		return "%"
	}
	return "%" + string(d)
}

// strptimeFields are Python's _strptime patterns for the directives it reads.
var strptimeFields = map[byte]string{
	'd': `(?P<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])`,
	'f': `(?P<f>[0-9]{1,6})`,
	'H': `(?P<H>2[0-3]|[0-1]\d|\d)`,
	'I': `(?P<I>1[0-2]|0[1-9]|[1-9])`,
	'j': `(?P<j>36[0-6]|3[0-5]\d|[12]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])`,
	'm': `(?P<m>1[0-2]|0[1-9]|[1-9])`,
	'M': `(?P<M>[0-5]\d|\d)`,
	'S': `(?P<S>6[0-1]|[0-5]\d|\d)`,
	'y': `(?P<y>\d\d)`,
	'Y': `(?P<Y>\d\d\d\d)`,
	'p': `(?P<p>am|pm)`,
	'b': `(?P<b>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)`,
	'B': `(?P<B>january|february|march|april|may|june|july|august|september|october|november|december)`,
	'a': `(?P<a>mon|tue|wed|thu|fri|sat|sun)`,
	'A': `(?P<A>monday|tuesday|wednesday|thursday|friday|saturday|sunday)`,
	'z': `(?P<z>[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z))`,
	'%': `%`,
}

var reFormatSpace = regexp.MustCompile(`\s+`)

// strptimeRegexp is the pattern Python's strptime builds from a format.
func strptimeRegexp(format string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`(?i)^`)
	for i := 0; i < len(format); i++ {
		ch := format[i]
		switch {
		case ch == '%' && i+1 < len(format):
			i++
			p, ok := strptimeFields[format[i]]
			if !ok {
				return nil, &plainError{fmt.Sprintf("'%c' is a bad directive in format '%s'", format[i], format)}
			}
			if strings.Contains(b.String(), "(?P<"+string(format[i])+">") {
				p = `(?:` + p[strings.Index(p, ">")+1:]
			}
			b.WriteString(p)
		case ch == '%':
			return nil, &plainError{fmt.Sprintf("stray %% in format '%s'", format)}
		case reFormatSpace.MatchString(string(ch)):
			for i+1 < len(format) && reFormatSpace.MatchString(format[i+1:i+2]) {
				i++
			}
			b.WriteString(`\s+`)
		default:
			b.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	return regexp.Compile(b.String())
}

// to_datetime(format="%Y-%m-%d %H:%M:%S") is datetime.strptime: a datetime value (see
// datetime.go), which templates subtract, compare and format.
func filterToDatetime(c *call) (any, error) {
	if err := c.sig("to_datetime", nil, "format"); err != nil {
		return nil, err
	}
	s, ok := c.in.(string)
	format := pyStr(c.arg(0, "format", "%Y-%m-%d %H:%M:%S"))
	if !ok {
		return nil, typeErrorf("strptime() argument 1 must be str, not %s", typeName(c.in))
	}
	re, err := strptimeRegexp(format)
	if err != nil {
		return nil, err
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, &plainError{fmt.Sprintf("time data %s does not match format %s", pyRepr(s), pyRepr(format))}
	}
	if len(m[0]) != len(s) {
		return nil, &plainError{"unconverted data remains: " + s[len(m[0]):]}
	}
	return parsedDatetime(re, m)
}

// parsedDatetime builds the datetime from strptime's groups, as _strptime does.
func parsedDatetime(re *regexp.Regexp, m []string) (any, error) {
	get := func(name string) (string, bool) {
		i := re.SubexpIndex(name)
		if i < 0 || m[i] == "" {
			return "", false
		}
		return strings.ToLower(strings.TrimSpace(m[i])), true
	}
	num := func(name string, def int) int {
		if v, ok := get(name); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
		return def
	}
	year := num("Y", 1900)
	if y, ok := get("y"); ok {
		n, _ := strconv.Atoi(y)
		year = 1900 + n
		if n <= 68 {
			year = 2000 + n
		}
	}
	month := num("m", 1)
	for _, name := range []string{"b", "B"} {
		if v, ok := get(name); ok {
			for i, mn := range months {
				if strings.HasPrefix(strings.ToLower(mn), v[:3]) {
					month = i + 1
				}
			}
		}
	}
	day := num("d", 1)
	hour := num("H", 0)
	if _, ok := get("I"); ok {
		hour = num("I", 12) % 12
		if p, _ := get("p"); p == "pm" {
			hour += 12
		}
	}
	micro := 0
	if f, ok := get("f"); ok {
		micro, _ = strconv.Atoi(f + strings.Repeat("0", 6-len(f)))
	}
	if j, ok := get("j"); ok {
		n, _ := strconv.Atoi(j)
		t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)
		month, day = int(t.Month()), t.Day()
	}
	if year < minYear {
		return nil, &plainError{fmt.Sprintf("year %d is out of range", year)}
	}
	second := num("S", 0)
	if second > 59 {
		return nil, &plainError{"second must be in 0..59"} // %S reads 60 and 61, datetime refuses them
	}
	if last := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day(); day > last {
		return nil, &plainError{"day is out of range for month"}
	}
	var offset *int
	if z, ok := get("z"); ok {
		off, err := strptimeOffset(z)
		if err != nil {
			return nil, err
		}
		offset = &off
	}
	return newDatetime(year, month, day, hour, num("M", 0), second, micro, offset), nil
}

// strptimeOffset is the UTC offset, in seconds, of a %z match: Z, ±HHMM[SS] or
// ±HH:MM[:SS]. Python also takes fractions of a second, which no fixed zone here holds.
func strptimeOffset(z string) (int, error) {
	if z == "z" {
		return 0, nil
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	if strings.Contains(digits, ".") {
		return 0, &plainError{fmt.Sprintf("UTC offset %s: fractions of a second are not supported", z)}
	}
	hours, _ := strconv.Atoi(digits[0:2])
	minutes, _ := strconv.Atoi(digits[2:4])
	seconds := 0
	if len(digits) >= 6 {
		seconds, _ = strconv.Atoi(digits[4:6])
	}
	off := (hours*60+minutes)*60 + seconds
	if z[0] == '-' {
		off = -off
	}
	return off, nil
}
