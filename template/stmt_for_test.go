package template

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The loop's behaviour is compared with ansible-core in testdata/corpus.yaml ("for loop"
// cases); these tests cover what the corpus cannot: limits, syntax error positions and
// the cost of a loop.

func TestForLoopRecursionDepth(t *testing.T) {
	// nested builds [[...[1]...]] with n levels of list around 1
	nested := func(n int) any {
		var l any = []any{1}
		for range n {
			l = []any{l}
		}
		return l
	}
	tpl := "{% for x in l recursive %}{% if x is number %}{{ loop.depth }}{% else %}{{ loop(x) }}{% endif %}{% endfor %}"
	tests := []struct {
		name    string
		levels  int
		want    string
		wantErr string
	}{
		{name: "deep data", levels: 150, want: "151"},
		{name: "past the limit", levels: maxLoopDepth, wantErr: "maximum recursion depth exceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := New().Render(tpl, NewScope(map[string]any{"l": nested(tc.levels)}))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got %v, %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != tc.want {
				t.Fatalf("got %v, %v; want %s", got, err, tc.want)
			}
		})
	}
}

func TestForLoopParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{name: "trailing comma", src: "{% for a, in l %}{% endfor %}", want: "unexpected 'in'"},
		{name: "constant target", src: "{% for 1 in l %}{% endfor %}", want: "can't assign to 'const'"},
		{name: "literal name target", src: "{% for none in l %}{% endfor %}", want: "can't assign to 'const'"},
		{name: "unclosed target", src: "{% for (a, b in l %}{% endfor %}", want: "expected token ')', got 'in'"},
		{name: "loop in a tuple target", src: "{% for a, loop in l %}{% endfor %}", want: "Can't assign to special loop variable"},
		{name: "missing iterable", src: "{% for x in %}{% endfor %}", want: "Expected an expression, got 'end of statement block'"},
		{name: "missing filter", src: "{% for x in l if %}{% endfor %}", want: "unexpected 'end of statement block'"},
		{name: "arguments to endfor", src: "{% for x in l %}{% endfor x %}", want: "expected token 'end of statement block', got 'x'"},
		{name: "arguments to else", src: "{% for x in l %}{% else x %}{% endfor %}", want: "expected token 'end of statement block', got 'x'"},
		{name: "no endfor", src: "{% for x in l %}", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Render(tc.src, NewScope(map[string]any{"l": []any{1}}))
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a syntax error", err)
			}
			if !strings.Contains(te.Msg, tc.want) {
				t.Fatalf("message %q does not say %q", te.Msg, tc.want)
			}
			if te.Line != 1 {
				t.Fatalf("line %d, want 1", te.Line)
			}
		})
	}
}

// A loop over a list of dicts, with loop variables, a filtered loop and a nested one:
// the loop machinery itself must stay cheap.
func BenchmarkRenderForLoop(b *testing.B) {
	users := make([]any, 200)
	for i := range users {
		users[i] = map[string]any{"name": fmt.Sprintf("u%d", i), "uid": i, "groups": []any{"a", "b", "c"}}
	}
	s := NewScope(map[string]any{"users": users})
	e := New()
	tpl := "{% for u in users if u.uid is odd %}{{ loop.index }}:{{ u.name }}" +
		"{% for g in u.groups %}{{ g }}{% if not loop.last %},{% endif %}{% endfor %}\n{% endfor %}"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Render(tpl, s); err != nil {
			b.Fatal(err)
		}
	}
}
