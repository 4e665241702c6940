package template

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gossible/gossible/internal/keyorder"
)

// The lookup corpus (testdata/lookup_corpus.yaml) runs like the template corpus, with the
// files of testdata/lookup/ as the playbook dir: "@LOOKUP@" stands for its absolute path
// on both sides (see oracle.py --basedir).

type lookupCorpus struct {
	Env   map[string]string `yaml:"env"`
	Vars  map[string]any    `yaml:"vars"`
	Cases []corpusCase      `yaml:"cases"`
}

const lookupMark = "@LOOKUP@"

func loadLookupCorpus(t *testing.T) (lookupCorpus, string) {
	t.Helper()
	data, err := os.ReadFile("testdata/lookup_corpus.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c lookupCorpus
	if err := decodeOrdered(data, &c); err != nil {
		t.Fatalf("testdata/lookup_corpus.yaml: %v", err)
	}
	dir, err := filepath.Abs("testdata/lookup")
	if err != nil {
		t.Fatal(err)
	}
	return c, dir
}

// substAll replaces old by new in every string inside v.
func substAll(v any, old, new string) any {
	switch t := v.(type) {
	case string:
		return strings.ReplaceAll(t, old, new)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = substAll(e, old, new)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = substAll(e, old, new)
		}
		keyorder.CopyOrder(out, t)
		return out
	}
	return v
}

func substPtr(p *string, old, new string) *string {
	if p == nil {
		return nil
	}
	s := strings.ReplaceAll(*p, old, new)
	return &s
}

func runLookupCorpus(t *testing.T, gs map[string]golden) {
	c, dir := loadLookupCorpus(t)
	for k, v := range c.Env {
		t.Setenv(k, v)
	}
	base := substAll(c.Vars, lookupMark, dir).(map[string]any)
	base["playbook_dir"] = dir
	e := New()
	pass := 0
	for _, tc := range c.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			g, ok := gs[tc.Name]
			if !ok {
				t.Fatalf("no golden result for %q: re-run the oracle (see testdata/lookup_corpus.yaml)", tc.Name)
			}
			run := tc
			run.Template = substPtr(tc.Template, lookupMark, dir)
			run.Expr = substPtr(tc.Expr, lookupMark, dir)
			run.Cond = substPtr(tc.Cond, lookupMark, dir)
			if tc.Vars != nil {
				run.Vars = substAll(tc.Vars, lookupMark, dir).(map[string]any)
			}
			got, err := evalCase(e, base, run)
			got = substAll(normalize(got), dir, lookupMark)
			if err != nil {
				err = errors.New(strings.ReplaceAll(withoutTail(err), dir, lookupMark))
			}
			if diff := compare(tc, g, got, err); diff != "" {
				t.Error(diff)
				return
			}
			pass++
		})
	}
	t.Logf("score: %d/%d lookup cases match ansible-core", pass, len(c.Cases))
}

// TestLookupCorpusGolden compares the lookups with results recorded from ansible-core 2.14.
func TestLookupCorpusGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/lookup_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	runLookupCorpus(t, decodeGolden(t, data))
}

// TestLookupCorpusLiveOracle re-runs the oracle with the installed ansible-core.
func TestLookupCorpusLiveOracle(t *testing.T) {
	py := oraclePython(t)
	out, err := exec.Command(py, "testdata/oracle/oracle.py", "testdata/lookup_corpus.yaml", "--basedir", "testdata/lookup").Output()
	if err != nil {
		t.Fatalf("oracle failed: %v", err)
	}
	runLookupCorpus(t, decodeGolden(t, out))
}
