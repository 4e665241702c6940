package pyliteral

import (
	"strconv"

	"github.com/gossible/gossible/internal/pyfmt"
)

// JSONKey is the text json.dumps gives a dict key (1 → "1", True → "true",
// None → "null"), the default Options.Key; lists and dicts are unhashable,
// which makes literal_eval fail.
func JSONKey(k any) (string, bool) {
	switch v := k.(type) {
	case string:
		return v, true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return pyfmt.Float(v), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case nil:
		return "null", true
	}
	return "", false
}
