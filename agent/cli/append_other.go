//go:build !unix

package cli

import "io"

// appendMode is a no-op where fcntl does not exist.
func appendMode(io.Writer) {}
