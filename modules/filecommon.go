package modules

import "fmt"

// fileCommon are Ansible's FILE_COMMON_ARGUMENTS, which every module that
// writes a file takes (copy, file, lineinfile, replace, blockinfile and,
// through copy, template). Embedded in a module's args struct, decodeArgs
// takes them as the module's own parameters.
type fileCommon struct {
	Mode       any    `arg:"mode"`
	Owner      string `arg:"owner"`
	Group      string `arg:"group"`
	Attributes string `arg:"attributes,attr"`
	SELevel    string `arg:"selevel"`
	SERole     string `arg:"serole"`
	SEType     string `arg:"setype"`
	SEUser     string `arg:"seuser"`
	Unsafe     bool   `arg:"unsafe_writes"` // accepted; writes are always atomic
}

// attrs is the mode and ownership the file is to get.
func (c *fileCommon) attrs() fileAttrs {
	return fileAttrs{Mode: c.Mode, Owner: c.Owner, Group: c.Group}
}

// unsupported refuses SELinux contexts and chattr attributes, which
// gossible does not implement, instead of silently ignoring them.
func (c *fileCommon) unsupported() Result {
	for _, a := range []struct{ name, v string }{
		{"attributes", c.Attributes}, {"selevel", c.SELevel}, {"serole", c.SERole}, {"setype", c.SEType}, {"seuser", c.SEUser},
	} {
		if a.v != "" {
			return failed(fmt.Sprintf("gossible does not support the %s argument", a.name))
		}
	}
	return nil
}
