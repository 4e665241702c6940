package e2e

import (
	"testing"
	"time"
)

// BenchmarkChapter times the chapter's playbook from the controller, each
// iteration on a fresh cluster: the first run (everything changes) and the
// second (converged), by gossible and by ansible-playbook (on the copy with
// the two loops rewritten, see prepareAnsibleCopy). Cluster start and stop
// are not timed. The figures are the metrics first-s/op and second-s/op.
//
//	go test -run '^$' -bench Chapter -benchtime 3x ./e2e/
func BenchmarkChapter(b *testing.B) {
	requireCluster(b)
	tools := []struct {
		name string
		run  func(b *testing.B, c *chapterCluster) time.Duration
	}{
		{"gossible", func(b *testing.B, c *chapterCluster) time.Duration {
			_, _, took, err := c.gossibleRun(b)
			if err != nil {
				b.Fatal(err)
			}
			return took
		}},
		{"ansible-playbook", ansibleBench()},
		// Pipelining (one SSH session per module, no temp files) is
		// Ansible's usual speed-up; measured as a second reference.
		{"ansible-playbook-pipelining", ansibleBench("env", "ANSIBLE_PIPELINING=True")},
	}
	for _, tool := range tools {
		b.Run(tool.name, func(b *testing.B) {
			b.StopTimer()
			var first, second time.Duration
			for i := 0; i < b.N; i++ {
				c := upChapter(b, "b")
				if tool.name != "gossible" {
					c.prepareAnsibleCopy(b)
				}
				f, s := tool.run(b, c), tool.run(b, c)
				b.Logf("%s: first run %s, second run %s", tool.name, f.Round(time.Millisecond), s.Round(time.Millisecond))
				first, second = first+f, second+s
				c.down(b)
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric((first / time.Duration(b.N)).Seconds(), "first-s/op")
			b.ReportMetric((second / time.Duration(b.N)).Seconds(), "second-s/op")
		})
	}
}

// ansibleBench runs the Ansible copy of the chapter, prefixed by pre.
func ansibleBench(pre ...string) func(b *testing.B, c *chapterCluster) time.Duration {
	return func(b *testing.B, c *chapterCluster) time.Duration {
		args := append(pre, "ansible-playbook", "-i", "hosts/serv-disc", "consul.yml")
		_, _, took, err := c.playbook(b, ansibleDir, args...)
		if err != nil {
			b.Fatal(err)
		}
		return took
	}
}
