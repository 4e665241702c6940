package playbook

import "gopkg.in/yaml.v3"

// varsFiles reads vars_files: a file name or a list of entries, each a
// file name or a list of alternatives (Ansible's "first one found").
func (l *loader) varsFiles(src *source, n *yaml.Node) ([]VarsFile, error) {
	items := oneOrList(n)
	out := make([]VarsFile, 0, len(items))
	for _, c := range items {
		c = deref(c)
		if c.Kind == yaml.SequenceNode {
			names, err := l.stringList(src, c, "vars_files")
			if err != nil {
				return nil, err
			}
			out = append(out, VarsFile{Names: names, List: true})
			continue
		}
		if c.Kind != yaml.ScalarNode || isNull(c) {
			return nil, src.errAt(c, "the field 'vars_files' should be a list of file names (or of lists of alternatives), but an element is a %s", kindName(c))
		}
		out = append(out, VarsFile{Names: []string{c.Value}})
	}
	return out, nil
}
