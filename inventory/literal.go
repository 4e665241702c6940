package inventory

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gossible/gossible/internal/pyliteral"
)

// iniValue types an INI value as the INI plugin's _parse_value does: it is
// run through Python's ast.literal_eval and kept as the raw string when that
// fails. Dict keys become their JSON key text.
func iniValue(s string) any {
	v, err := pyliteral.Parse(s, pyliteral.Options{})
	if err != nil {
		return s
	}
	return v
}

// toInt is Python's int() on an inventory value.
func toInt(v any) (int, error) {
	switch n := v.(type) {
	case int:
		return n, nil
	case float64:
		return int(n), nil
	case bool:
		if n {
			return 1, nil
		}
		return 0, nil
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(n, "_", "")))
		if err != nil {
			return 0, errors.New("invalid literal for int(): " + strconv.Quote(n))
		}
		return i, nil
	}
	return 0, errors.New("cannot convert to int")
}
