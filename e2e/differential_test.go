package e2e

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// ansibleDir is where the controller holds the Ansible copy of the chapter.
const ansibleDir = "/root/chapter-ansible"

// prepareAnsibleCopy copies the chapter's files into the controller and
// rewrites the role's two loops. The repository keeps the book's bare
// `with_items: directories` form, which gossible resolves as older Ansible
// did; ansible-core 2.14 treats a bare name as a one-item list of that
// string, so the reference run uses a copy whose ONLY change is
// "{{ directories }}" and "{{ files }}". The diff is checked to be exactly
// those two lines.
func (c *chapterCluster) prepareAnsibleCopy(t testing.TB) {
	t.Helper()
	script := `set -e
rm -rf "$1"; mkdir -p "$1"
cp -a /work/repo/consul.yml /work/repo/ansible.cfg /work/repo/hosts /work/repo/roles "$1"/
sed -i -e 's/^\(  with_items: \)directories$/\1"{{ directories }}"/' \
       -e 's/^\(  with_items: \)files$/\1"{{ files }}"/' "$1"/roles/consul/tasks/main.yml
diff /work/repo/roles/consul/tasks/main.yml "$1"/roles/consul/tasks/main.yml || true`
	out, err := c.ctl("sh", "-c", script, "sh", ansibleDir)
	if err != nil {
		t.Fatalf("copy the chapter for ansible: %v", err)
	}
	var removed, added []string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "< "):
			removed = append(removed, strings.TrimSpace(l[2:]))
		case strings.HasPrefix(l, "> "):
			added = append(added, strings.TrimSpace(l[2:]))
		}
	}
	wantRemoved := []string{"with_items: directories", "with_items: files"}
	wantAdded := []string{`with_items: "{{ directories }}"`, `with_items: "{{ files }}"`}
	if !reflect.DeepEqual(removed, wantRemoved) || !reflect.DeepEqual(added, wantAdded) {
		t.Fatalf("the ansible copy must differ only in the two loops; diff:\n%s", out)
	}
	if _, bench := t.(*testing.B); bench {
		return // a benchmark's log is always printed
	}
	t.Logf("ansible-playbook runs a copy of the chapter in %s whose only change is the two loops "+
		"(with_items: directories/files -> \"{{ directories }}\"/\"{{ files }}\"): ansible-core 2.14 "+
		"no longer resolves the bare form\n%s", ansibleDir, out)
}

// checkOutputDiff fails on each TASK or result line (loop item labels
// included) in which gossible's first run differs from ansible-playbook's.
func checkOutputDiff(t *testing.T, ansible, gossible string) {
	t.Helper()
	a, g := resultLines(ansible), resultLines(gossible)
	var diff []string
	for i := 0; i < len(a) || i < len(g); i++ {
		var al, gl string
		if i < len(a) {
			al = a[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if al != gl {
			diff = append(diff, "  ansible-playbook: "+al+"\n  gossible:         "+gl)
		}
	}
	if len(diff) == 0 {
		t.Log("first run: every TASK and result line of gossible equals ansible-playbook's")
		return
	}
	t.Errorf("first run: %d of %d TASK/result lines differ from ansible-playbook's:\n%s",
		len(diff), len(a), strings.Join(diff, "\n"))
}

// resultLines are a run's PLAY/TASK headers and per-host result lines, in
// order; warnings (stderr, interleaved) are left out.
func resultLines(out string) []string {
	var ls []string
	for _, l := range strings.Split(ansiRE.ReplaceAllString(out, ""), "\n") {
		l = strings.TrimRight(l, " ")
		if taskRE.MatchString(l) || resultRE.MatchString(l) || strings.HasPrefix(l, "PLAY [") || recapRE.MatchString(l) {
			ls = append(ls, l)
		}
	}
	return ls
}

// TestDifferential runs the chapter with ansible-playbook (Debian's
// ansible-core 2.14 in the controller image) on a fresh cluster and expects
// the same recap and the same end state as gossible reached in TestChapter.
func TestDifferential(t *testing.T) {
	requireCluster(t)
	c := upChapter(t, "a")
	if v, err := c.ctl("ansible-playbook", "--version"); err != nil {
		t.Fatalf("ansible-playbook in the controller: %v", err)
	} else {
		t.Logf("reference: %s", strings.SplitN(v, "\n", 2)[0])
	}
	c.prepareAnsibleCopy(t)
	var out string
	run := func(extra ...string) (playOutput, time.Duration) {
		t.Helper()
		args := append([]string{"ansible-playbook", "-i", "hosts/serv-disc", "consul.yml"}, extra...)
		o, p, took, err := c.playbook(t, ansibleDir, args...)
		if err != nil {
			t.Fatal(err)
		}
		out = o
		return p, took
	}

	p, firstTook := run()
	if gossibleOut != "" {
		checkOutputDiff(t, out, gossibleOut)
	}
	c.checkRunOutput(t, firstRun, p)
	st := c.checkChapterState(t)
	if gossibleFirst != nil && !reflect.DeepEqual(p.Recap, gossibleFirst.Recap) {
		t.Errorf("recap differs:\nansible-playbook\n%s\ngossible\n%s", recapString(p.Recap), recapString(gossibleFirst.Recap))
	}
	if gossibleState != nil && !reflect.DeepEqual(st, *gossibleState) {
		t.Errorf("end state differs:\nansible-playbook %+v\ngossible         %+v", st, *gossibleState)
	}
	if gossibleState == nil {
		t.Log("TestChapter did not record gossible's state (not run or failed): compared with the expectations only")
	}

	p, secondTook := run()
	c.checkRunOutput(t, rerun, p)
	c.checkRunOutput(t, checkRun, func() playOutput { p, _ := run("--check"); return p }())
	c.checkRunOutput(t, noTagRun, func() playOutput { p, _ := run("--tags", "nosuchtag"); return p }())
	c.checkChapterState(t)

	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("BENCH chapter playbook wall time from the controller (3 hosts, serial: 1; load %s):", strings.Join(strings.Fields(string(load))[:3], " "))
	if g, ok := gossibleTiming[firstRun]; ok {
		t.Logf("BENCH   gossible         first run %s  second run %s", g.Round(time.Millisecond), gossibleTiming[rerun].Round(time.Millisecond))
	}
	t.Logf("BENCH   ansible-playbook first run %s  second run %s", firstTook.Round(time.Millisecond), secondTook.Round(time.Millisecond))
}
