package template

import (
	"fmt"
	"math/rand/v2"
)

func init() {
	registerFilter(filterRandom, "random")
	registerFilter(filterShuffle, "shuffle")
}

// randSource is what random and shuffle draw from: Python's generator for a seed, so the
// results match Ansible's; the system's otherwise.
type randSource interface {
	randbelow(n int) int
}

type systemRand struct{}

func (systemRand) randbelow(n int) int { return rand.IntN(n) }

func seededSource(seed any) (randSource, error) {
	if seed == nil {
		return systemRand{}, nil
	}
	return newPyRandom(seed)
}

// random(end, start=None, step=None, seed=None): an int from range(start, end, step), or
// an item of a sequence.
func filterRandom(c *call) (any, error) {
	src, err := seededSource(c.arg(2, "seed", nil))
	if err != nil {
		return nil, err
	}
	start, step := c.arg(0, "start", nil), c.arg(1, "step", nil)
	switch end := c.in.(type) {
	case int:
		lo, _ := start.(int)
		st, _ := step.(int)
		if !truthy(start) {
			lo = 0
		}
		if !truthy(step) {
			st = 1
		}
		return randRange(src, lo, end, st)
	case bool:
		return nil, &plainError{"random can only be used on sequences and integers"}
	case string, []any, map[string]any:
		if truthy(start) || truthy(step) {
			return nil, &plainError{"start and step can only be used with integer values"}
		}
		l, _ := asList(end, "random")
		if len(l) == 0 {
			return nil, &plainError{"Cannot choose from an empty sequence"}
		}
		i := src.randbelow(len(l))
		if m, ok := end.(map[string]any); ok {
			// Python indexes the dict by the position: only an int key of that value works
			return nil, &plainError{fmt.Sprintf("%d", i) + " is not a key of " + pyRepr(m)}
		}
		return l[i], nil
	}
	return nil, &plainError{"random can only be used on sequences and integers"}
}

// randRange is Random.randrange(start, stop, step).
func randRange(src randSource, start, stop, step int) (any, error) {
	width := stop - start
	if step == 1 {
		if width <= 0 {
			return nil, &plainError{fmt.Sprintf("empty range for randrange() (%d, %d, %d)", start, stop, width)}
		}
		return start + src.randbelow(width), nil
	}
	var n int
	switch {
	case step > 0:
		n = floorDiv(width+step-1, step)
	case step < 0:
		n = floorDiv(width+step+1, step)
	default:
		return nil, &plainError{"zero step for randrange()"}
	}
	if n <= 0 {
		return nil, &plainError{"empty range for randrange()"}
	}
	return start + step*src.randbelow(n), nil
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// shuffle(seed=None): the items in random order; a value that is not iterable comes back
// unchanged, as Ansible swallows the error. A false seed (0, "") means no seed.
func filterShuffle(c *call) (any, error) {
	l, err := asList(c.in, "shuffle")
	if err != nil {
		return c.in, nil
	}
	out := append([]any{}, l...)
	seed := c.arg(0, "seed", nil)
	if !truthy(seed) {
		seed = nil
	}
	src, err := seededSource(seed)
	if err != nil {
		return c.in, nil
	}
	for i := len(out) - 1; i > 0; i-- {
		j := src.randbelow(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
