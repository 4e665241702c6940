// Package e2e runs the book's chapter 8 end to end on the built-in container
// cluster (package lab): the consul playbook from the controller container,
// then the Consul cluster and its key/value store checked with the same
// commands the chapter uses, and the same run by ansible-playbook as the
// reference.
//
// Contract: the tests build static gossible and consul binaries, start their
// own clusters on 10.100.194.0/24 (the chapter's inventory names those
// addresses), send every request to the hosts from inside the controller
// container, and remove the clusters at the end. Without root, Docker or the
// test-host image they skip with the reason; with CI=true they fail instead.
// The package has no non-test code.
package e2e
