// Package bench holds Go benchmarks of the registry agent's KV API on a
// three-server cluster running in-process on loopback addresses, with
// raft fsync on. Run: go test -run '^$' -bench . ./agent/bench/
package bench
