package template

import (
	"os"
	"os/exec"
	"testing"
)

func TestZZScratch(t *testing.T) {
	p := os.Getenv("SCRATCH_CORPUS")
	if p == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(p)
	var c corpus
	if err := decodeOrdered(data, &c); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", "testdata/oracle/oracle.py", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	gs := decodeGolden(t, out)
	e := New()
	pass := 0
	for _, tc := range c.Cases {
		g := gs[tc.Name]
		got, err := evalCase(e, c.Vars, tc)
		if tc.Error == "" && !g.OK {
			tc.Error = "exact"
		}
		d := compare(tc, g, got, err)
		if d == "" {
			pass++
			continue
		}
		t.Logf("FAIL %s [%s]: %s", tc.Name, tc.templateText(), d)
	}
	t.Logf("scratch %d/%d", pass, len(c.Cases))
}

func (c corpusCase) templateText() string {
	switch {
	case c.Template != nil:
		return *c.Template
	case c.Expr != nil:
		return *c.Expr
	case c.Cond != nil:
		return *c.Cond
	}
	return ""
}
