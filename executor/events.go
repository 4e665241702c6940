package executor

import "github.com/gossible/gossible/playbook"

// ExtraCallback is implemented by callbacks that show the events Ansible's
// default callback shows beyond Callback's; the executor finds it by type
// assertion so a minimal Callback stays enough.
type ExtraCallback interface {
	// NoHostsMatched: a play's pattern matched no host ("skipping: no hosts matched").
	NoHostsMatched()
	// Deprecated: a deprecation warning (the text after "[DEPRECATION WARNING]: ").
	Deprecated(msg string)
}

// WorkerWarningCallback shows a warning raised while a host runs a task each time it
// is raised (see runner.workerWarner); without it, Warning shows it once per run.
type WorkerWarningCallback interface {
	WorkerWarning(msg string)
}

// VerboseCallback receives messages shown only at a -v level or above.
type VerboseCallback interface {
	Verbose(level int, msg string)
}

// RetryCallback is told of each failed attempt of a task with `until`
// ("FAILED - RETRYING: ..."), with how many attempts are left.
type RetryCallback interface {
	Retry(r *HostResult, task string, left int)
}

// NoHostsCallback is told when a play ends because no host is left to run
// it (any_errors_fatal): "NO MORE HOSTS LEFT".
type NoHostsCallback interface {
	NoHostsRemaining()
}

// HostTaskCallback is told, under the free strategies, when a host starts
// a task (Ansible's v2_runner_on_start): hosts run tasks at their own pace,
// so the task of a result is that host's last started one. TaskStart still
// comes before the host's results are shown.
type HostTaskCallback interface {
	HostTaskStart(task *playbook.Task, name string, handler bool, host string)
}
