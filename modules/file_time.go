package modules

import (
	"fmt"
	"time"
)

// ansibleTimeFormat is file's default *_time_format; it is touch -t's too.
const ansibleTimeFormat = "%Y%m%d%H%M.%S"

// timeCmds returns the touch commands for access_time/modification_time
// ("now", "preserve" or a timestamp in the default format) and whether they
// change the path. state touch defaults both to "now", others to "preserve".
func (f *fileRun) timeCmds(state string, st fileStat) ([]string, bool, Result) {
	var cmds []string
	changed := false
	for _, t := range []struct {
		flag, value, format string
		cur                 float64
	}{
		{"-a", f.a.ATime, f.a.ATimeFmt, st.Atime},
		{"-m", f.a.MTime, f.a.MTimeFmt, st.Mtime},
	} {
		v := t.value
		if v == "" {
			v = "preserve"
			if state == "touch" {
				v = "now"
			}
		}
		switch v {
		case "preserve":
			continue
		case "now":
			cmds = append(cmds, "touch -c "+t.flag+" -- "+q(f.p))
			changed = true
			continue
		}
		if t.format != "" && t.format != ansibleTimeFormat {
			return nil, false, failed(fmt.Sprintf("gossible supports only the default time format %s, not %s", ansibleTimeFormat, t.format))
		}
		ts, err := time.ParseInLocation("200601021504.05", v, time.Local)
		if err != nil {
			return nil, false, failed(fmt.Sprintf("Error while obtaining timestamp for time %s using format %s: time data '%s' does not match format '%s'", v, ansibleTimeFormat, v, ansibleTimeFormat))
		}
		cmds = append(cmds, "touch -c "+t.flag+" -t "+q(v)+" -- "+q(f.p))
		// touch -t reads the stamp in the host's zone; the comparison
		// assumes the controller's zone is the same (known limitation).
		if st.Exists && ts.Unix() == int64(t.cur) {
			continue
		}
		changed = true
	}
	return cmds, changed, nil
}
