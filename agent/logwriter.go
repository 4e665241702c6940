package agent

import (
	"bytes"
	"io"
	"sync"
)

// levelWriter rewrites hclog's padded level tags to Consul's classic log
// shape ("[INFO] raft: ...", "[ERR] agent: ...").
type levelWriter struct {
	mu  sync.Mutex
	out io.Writer
}

var levelTags = [][2][]byte{
	{[]byte("[INFO]  "), []byte("[INFO] ")},
	{[]byte("[WARN]  "), []byte("[WARN] ")},
	{[]byte("[ERROR] "), []byte("[ERR] ")},
}

func (w *levelWriter) Write(p []byte) (int, error) {
	q := p
	for _, t := range levelTags {
		if i := bytes.Index(q, t[0]); i >= 0 && i < 40 {
			q = append(append(append([]byte{}, q[:i]...), t[1]...), q[i+len(t[0]):]...)
			break
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.out.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}
