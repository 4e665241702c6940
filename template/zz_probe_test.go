package template

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

func TestZZProbe(t *testing.T) {
	f := os.Getenv("PROBE")
	if f == "" {
		t.Skip()
	}
	fh, _ := os.Open(f)
	sc := bufio.NewScanner(fh)
	e := New()
	vars := map[string]any{"v": 1, "s": "a", "l": []any{1}, "d": map[string]any{"a": 1}, "n": nil, "f": 1.5, "t": true, "big": 1 << 62, "u": UnsafeText("a")}
	for sc.Scan() {
		x := sc.Text()
		if x == "" {
			continue
		}
		r, err := e.Render("{{ "+x+" }}", NewScope(vars))
		if err != nil {
			fmt.Printf("%-30s !! %T: %s\n", x, err, withoutTail(err))
		} else {
			fmt.Printf("%-30s => %#v (%s)\n", x, r, typeName(r))
		}
	}
}
