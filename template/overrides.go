package template

import (
	"fmt"
	"strings"
)

// jinjaHeader starts a template's first line that overrides Jinja2 settings, as
// "#jinja2: lstrip_blocks: True, trim_blocks: False".
const jinjaHeader = "#jinja2:"

// jinjaOverrides applies a template file's "#jinja2:" header to o, as Ansible's
// do_template does: the first line is removed and each "key: value" pair set. It returns
// the text without the header and the number of lines removed. gossible supports the
// block switches; other settings are refused rather than ignored.
func jinjaOverrides(text string, o *FileOptions) (string, int, error) {
	if !strings.HasPrefix(text, jinjaHeader) {
		return text, 0, nil
	}
	line, rest, _ := strings.Cut(text, "\n")
	for _, pair := range strings.Split(strings.TrimPrefix(line, jinjaHeader), ",") {
		key, val, ok := strings.Cut(pair, ":")
		if !ok {
			return text, 0, fmt.Errorf("failed to parse jinja2 override '%s'. Did you use something different from colon as key-value separator?", strings.TrimSpace(pair))
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		var b bool
		switch val {
		case "True":
			b = true
		case "False":
		default:
			return text, 0, fmt.Errorf("gossible does not support the jinja2 override %s: %s (only True or False for trim_blocks and lstrip_blocks)", key, val)
		}
		switch key {
		case "trim_blocks":
			o.TrimBlocks = b
		case "lstrip_blocks":
			o.LstripBlocks = b
		default:
			return text, 0, fmt.Errorf("gossible does not support the jinja2 override %s", key)
		}
	}
	return rest, 1, nil
}
