package template

// Filters that are Python's zip and itertools functions, applied to the piped value and
// the arguments; their tuples are lists here.

func init() {
	registerFilter(filterZip, "zip")
	registerFilter(filterZipLongest, "zip_longest")
	registerFilter(filterProduct, "product")
	registerFilter(filterPermutations, "permutations")
	registerFilter(filterCombinations, "combinations")
}

// pyIter is list(v) for an iterable: a list, a string's characters or a dict's keys.
func pyIter(v any) ([]any, error) {
	switch t := v.(type) {
	case []any, string, map[string]any:
		return asList(v, "")
	case <-chan int: // range()
		out := []any{}
		for i := range t {
			out = append(out, i)
		}
		return out, nil
	}
	return nil, typeErrorf("'%s' object is not iterable", typeName(v))
}

// iterables is the piped value and the positional arguments, each iterated, for fn
// (Python's name), which takes only the keyword arguments kwargs.
func iterables(c *call, fn string, kwargs ...string) ([][]any, error) {
	if err := c.only(fn, kwargs...); err != nil {
		return nil, err
	}
	var out [][]any
	for _, v := range append([]any{c.in}, c.args...) {
		l, err := pyIter(v)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func filterZip(c *call) (any, error) {
	ls, err := iterables(c, "zip", "strict")
	if err != nil {
		return nil, err
	}
	n := len(ls[0])
	for _, l := range ls {
		n = min(n, len(l))
	}
	return zipped(ls, n, nil), nil
}

func zipped(ls [][]any, n int, fill any) []any {
	out := make([]any, n)
	for i := range out {
		t := make([]any, len(ls))
		for j, l := range ls {
			t[j] = fill
			if i < len(l) {
				t[j] = l[i]
			}
		}
		out[i] = t
	}
	return out
}

func filterZipLongest(c *call) (any, error) {
	ls, err := iterables(c, "zip_longest", "fillvalue")
	if err != nil {
		return nil, err
	}
	n := 0
	for _, l := range ls {
		n = max(n, len(l))
	}
	return zipped(ls, n, c.kwargs["fillvalue"]), nil
}

// product(*iterables, repeat=1): the cartesian product, the last iterable varying fastest.
func filterProduct(c *call) (any, error) {
	ls, err := iterables(c, "product", "repeat")
	if err != nil {
		return nil, err
	}
	repeat := 1
	if v, ok := c.kwargs["repeat"]; ok {
		n, isInt := v.(int)
		if !isInt {
			return nil, typeErrorf("'%s' object cannot be interpreted as an integer", typeName(v))
		}
		if n < 0 {
			return nil, &plainError{"repeat argument cannot be negative"}
		}
		repeat = n
	}
	var pools [][]any
	for range repeat {
		pools = append(pools, ls...)
	}
	out := []any{[]any{}}
	for _, pool := range pools {
		var next []any
		for _, prefix := range out {
			for _, e := range pool {
				next = append(next, append(append([]any{}, prefix.([]any)...), e))
			}
		}
		out = next
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// rArg is itertools' r: an int, at least 0; def when absent (-1 for len(pool)).
func rArg(c *call, def int) (int, error) {
	v := c.arg(0, "r", nil)
	if v == nil {
		return def, nil
	}
	r, ok := v.(int)
	if !ok {
		return 0, typeErrorf("Expected int as r")
	}
	if r < 0 {
		return 0, &plainError{"r must be non-negative"}
	}
	return r, nil
}

// permutations(r=None): r-length orderings, in itertools' order.
func filterPermutations(c *call) (any, error) {
	if err := c.sig("permutations", nil, "r"); err != nil {
		return nil, err
	}
	pool, err := pyIter(c.in)
	if err != nil {
		return nil, err
	}
	r, err := rArg(c, len(pool))
	if err != nil {
		return nil, err
	}
	out := []any{}
	used := make([]bool, len(pool))
	var cur []any
	var walk func()
	walk = func() {
		if len(cur) == r {
			out = append(out, append([]any{}, cur...))
			return
		}
		for i, e := range pool {
			if !used[i] {
				used[i] = true
				cur = append(cur, e)
				walk()
				cur = cur[:len(cur)-1]
				used[i] = false
			}
		}
	}
	if r <= len(pool) {
		walk()
	}
	return out, nil
}

// combinations(r): r-length subsequences, in itertools' order.
func filterCombinations(c *call) (any, error) {
	if err := c.only("combinations", "r"); err != nil {
		return nil, err
	}
	if c.arg(0, "r", nil) == nil {
		if _, given := c.kwargs["r"]; !given && len(c.args) == 0 {
			return nil, typeErrorf("combinations() missing required argument 'r' (pos 2)")
		}
	}
	pool, err := pyIter(c.in)
	if err != nil {
		return nil, err
	}
	r, err := rArg(c, 0)
	if err != nil {
		return nil, err
	}
	out := []any{}
	var cur []any
	var walk func(from int)
	walk = func(from int) {
		if len(cur) == r {
			out = append(out, append([]any{}, cur...))
			return
		}
		for i := from; i < len(pool); i++ {
			cur = append(cur, pool[i])
			walk(i + 1)
			cur = cur[:len(cur)-1]
		}
	}
	walk(0)
	return out, nil
}
