//go:build unix

package cli

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// appendMode puts a log file opened by the shell with ">" into append
// mode. A rerun of the playbook's `consul agent ... >consul.log` truncates
// the file while this agent keeps running; without O_APPEND its next
// writes would land at the old offset and leave a hole of NUL bytes.
func appendMode(w io.Writer) {
	f, ok := w.(*os.File)
	if !ok {
		return
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return
	}
	fd := int(f.Fd())
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return
	}
	_, _ = unix.FcntlInt(uintptr(fd), unix.F_SETFL, flags|unix.O_APPEND)
}
