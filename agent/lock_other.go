//go:build !unix

package agent

import (
	"fmt"
	"os"
	"runtime"
)

// lockFile is unsupported off unix: refuse rather than run unlocked.
func lockFile(path string) (*os.File, error) {
	return nil, fmt.Errorf("data dir locking (%s) is not supported on %s", path, runtime.GOOS)
}
