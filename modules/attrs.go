package modules

import (
	"fmt"
	"strconv"
)

// fileAttrs are the owner/group/mode arguments shared by file and copy.
type fileAttrs struct {
	Mode  any    // nil: leave as is
	Owner string // "": leave as is
	Group string
}

// attrPlan says which commands bring path (stat st) to the wanted attributes,
// and fills Ansible's diff before/after maps. uid/gid are the resolved ids of
// Owner/Group (-1: unknown name, which fails as Ansible does).
type attrPlan struct {
	Cmds    []string
	Changed bool
	Mode    uint32 // the resulting permission bits
}

// planAttrs compares st with a and returns the commands to run. A failure
// (unknown user, bad mode) comes back as a Result to return as it is.
func planAttrs(path string, st fileStat, a fileAttrs, pr probe, before, after map[string]any) (attrPlan, Result) {
	var p attrPlan
	p.Mode = st.Mode
	if a.Owner != "" {
		if pr.UID < 0 {
			return p, Result{"failed": true, "changed": false, "msg": "chown failed: failed to look up user " + a.Owner, "path": path}
		}
		if pr.UID != st.UID {
			before["owner"], after["owner"] = st.UID, pr.UID
			p.Cmds = append(p.Cmds, "chown -h "+q(strconv.Itoa(pr.UID))+" -- "+q(path))
			p.Changed = true
		}
	}
	if a.Group != "" {
		if pr.GID < 0 {
			return p, Result{"failed": true, "changed": false, "msg": "chgrp failed: failed to look up group " + a.Group, "path": path}
		}
		if pr.GID != st.GID {
			before["group"], after["group"] = st.GID, pr.GID
			p.Cmds = append(p.Cmds, "chgrp -h "+q(strconv.Itoa(pr.GID))+" -- "+q(path))
			p.Changed = true
		}
	}
	if a.Mode != nil && st.Type != "link" {
		m, err := resolveMode(a.Mode, st.Mode, st.Type == "directory" || st.ToDir, pr.Umask)
		if err != nil {
			me := err.(*modeError)
			return p, Result{"failed": true, "changed": false, "msg": me.Msg, "details": me.Details, "path": path}
		}
		if m != st.Mode {
			before["mode"], after["mode"] = modeString(st.Mode), modeString(m)
			p.Cmds = append(p.Cmds, fmt.Sprintf("chmod %05o -- %s", m, q(path)))
			p.Changed = true
			p.Mode = m
		}
	}
	return p, nil
}
