package executor

// shouldRun is Ansible's Taggable.evaluate_tags for a task's effective tags.
func shouldRun(tags, only, skip []string) bool {
	set := map[string]bool{}
	for _, t := range tags {
		set[t] = true
	}
	untagged := len(set) == 0
	if untagged {
		set["untagged"] = true
	}
	anyIn := func(list []string) bool {
		for _, t := range list {
			if set[t] {
				return true
			}
		}
		return false
	}
	has := func(list []string, s string) bool {
		for _, t := range list {
			if t == s {
				return true
			}
		}
		return false
	}
	run := true
	if len(only) > 0 {
		run = false
		switch {
		case set["always"]:
			run = true
		case has(only, "all") && !set["never"]:
			run = true
		case anyIn(only):
			run = true
		case has(only, "tagged") && !untagged && !set["never"]:
			run = true
		}
	}
	if run && len(skip) > 0 {
		switch {
		case has(skip, "all"):
			if !set["always"] || has(skip, "always") {
				run = false
			}
		case anyIn(skip):
			run = false
		case has(skip, "tagged") && !untagged:
			run = false
		}
	}
	return run
}
