package template

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

func init() {
	registerTest(testVersion, "version", "version_compare")
}

var versionOps = map[string]string{"==": "eq", "=": "eq", "eq": "eq", "<": "lt", "lt": "lt",
	"<=": "le", "le": "le", ">": "gt", "gt": "gt", ">=": "ge", "ge": "ge", "!=": "ne", "<>": "ne", "ne": "ne"}

const versionOpList = "'==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'"

// version(version, operator='eq', strict=None, version_type=None) compares versions as
// Ansible does: loose (distutils' LooseVersion) by default, strict, or semver.
func testVersion(c *call) (bool, error) {
	if err := c.sig("version_compare", []string{"version"}, "operator", "strict", "version_type"); err != nil {
		return false, err
	}
	strict, vtype := c.arg(2, "strict", nil), c.arg(3, "version_type", nil)
	if strict != nil && vtype != nil {
		return false, &plainError{"Cannot specify both 'strict' and 'version_type'"}
	}
	if !truthy(c.in) {
		return false, &plainError{"Input version value cannot be empty"}
	}
	if !truthy(c.arg(0, "version", nil)) {
		return false, &plainError{"Version parameter to compare against cannot be empty"}
	}
	compare := compareLoose
	switch t := pyStr(vtype); {
	case truthy(strict):
		compare = compareStrict
	case vtype == nil || t == "loose":
	case t == "strict":
		compare = compareStrict
	case t == "semver" || t == "semantic":
		compare = compareSemver
	case t == "pep440":
		return false, &plainError{"the pep440 version_type is not supported by gossible"}
	default:
		return false, &plainError{fmt.Sprintf("Invalid version type (%s). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'", t)}
	}
	opArg := pyStr(c.arg(1, "operator", "eq"))
	op, ok := versionOps[opArg]
	if !ok {
		return false, &plainError{fmt.Sprintf("Invalid operator type (%s). Must be one of %s", opArg, versionOpList)}
	}
	cmp, err := compare(pyStr(c.in), pyStr(c.arg(0, "version", nil)))
	if err != nil {
		return false, &plainError{"Version comparison failed: " + err.Error()}
	}
	switch op {
	case "eq":
		return cmp == 0, nil
	case "ne":
		return cmp != 0, nil
	case "lt":
		return cmp < 0, nil
	case "le":
		return cmp <= 0, nil
	case "gt":
		return cmp > 0, nil
	}
	return cmp >= 0, nil
}

var reLooseSplit = regexp.MustCompile(`\d+|[a-z]+|\.`)

// looseVersion splits a version as LooseVersion does: runs of digits (ints), runs of
// lowercase letters and whatever lies between them, dots dropped.
func looseVersion(s string) []any {
	var out []any
	add := func(p string) {
		if p == "" || p == "." {
			return
		}
		if n, err := strconv.Atoi(p); err == nil {
			out = append(out, n)
		} else {
			out = append(out, p)
		}
	}
	last := 0
	for _, m := range reLooseSplit.FindAllStringIndex(s, -1) {
		add(s[last:m[0]])
		add(s[m[0]:m[1]])
		last = m[1]
	}
	add(s[last:])
	return out
}

// compareLoose compares two LooseVersions as Python compares their lists; an int met by
// a str at the first difference is Python's TypeError.
func compareLoose(a, b string) (int, error) {
	x, y := looseVersion(a), looseVersion(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		if valueEqual(x[i], y[i]) {
			continue
		}
		c, err := pyCompare(x[i], y[i])
		if err != nil {
			return 0, err
		}
		return c, nil
	}
	return cmpInt(len(x), len(y)), nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var reStrictVersion = regexp.MustCompile(`^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$`)

// strictVersion is StrictVersion's (major, minor, patch, prerelease letter, number);
// no prerelease sorts after any.
func strictVersion(s string) ([5]int, error) {
	m := reStrictVersion.FindStringSubmatch(s)
	if m == nil {
		return [5]int{}, fmt.Errorf("invalid version number %s", pyRepr(s))
	}
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	v := [5]int{atoi(m[1]), atoi(m[2]), atoi(m[4]), 'z' + 1, 0}
	if m[5] != "" {
		v[3], v[4] = int(m[5][0]), atoi(m[6])
	}
	return v, nil
}

func compareStrict(a, b string) (int, error) {
	x, err := strictVersion(a)
	if err != nil {
		return 0, err
	}
	y, err := strictVersion(b)
	if err != nil {
		return 0, err
	}
	for i := range x {
		if c := cmpInt(x[i], y[i]); c != 0 {
			return c, nil
		}
	}
	return 0, nil
}

var reSemver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// compareSemver is semver precedence: the core numbers, then a prerelease sorts before
// none, identifiers compared numerically or as text (numbers first); build ignored.
func compareSemver(a, b string) (int, error) {
	parse := func(s string) ([]string, error) {
		m := reSemver.FindStringSubmatch(s)
		if m == nil {
			return nil, fmt.Errorf("invalid semantic version %s", pyRepr(s))
		}
		return m[1:5], nil
	}
	x, err := parse(a)
	if err != nil {
		return 0, err
	}
	y, err := parse(b)
	if err != nil {
		return 0, err
	}
	for i := 0; i < 3; i++ {
		xn, _ := strconv.Atoi(x[i])
		yn, _ := strconv.Atoi(y[i])
		if c := cmpInt(xn, yn); c != 0 {
			return c, nil
		}
	}
	switch {
	case x[3] == "" && y[3] == "":
		return 0, nil
	case y[3] == "":
		return -1, nil
	case x[3] == "":
		return 1, nil
	}
	xp, yp := strings.Split(x[3], "."), strings.Split(y[3], ".")
	for i := 0; i < len(xp) && i < len(yp); i++ {
		xn, xerr := strconv.Atoi(xp[i])
		yn, yerr := strconv.Atoi(yp[i])
		var c int
		switch {
		case xerr == nil && yerr == nil:
			c = cmpInt(xn, yn)
		case xerr == nil:
			c = -1
		case yerr == nil:
			c = 1
		default:
			c = strings.Compare(xp[i], yp[i])
		}
		if c != 0 {
			return c, nil
		}
	}
	return cmpInt(len(xp), len(yp)), nil
}
