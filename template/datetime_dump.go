package template

import "fmt"

// How the data filters write the datetime values: to_json as Ansible's JSON encoder,
// to_yaml and to_nice_yaml as PyYAML's safe dumper (see yamlScalar).

// objectJSON is what to_json writes for a datetime value: Ansible's encoder writes a
// date or a datetime as its isoformat(); the other types are not serializable.
func objectJSON(o pyObject) (any, error) {
	switch t := o.(type) {
	case datetimeValue:
		return t.isoformat("T", "auto"), nil
	case dateValue:
		return t.pyStr(), nil
	}
	return nil, typeErrorf("Object of type %s is not JSON serializable", pyShortType(o))
}

// yamlRepresentable fails as filter (to_yaml, to_nice_yaml) does when v holds a value
// PyYAML's safe dumper cannot write: a timedelta or a time.
func yamlRepresentable(filter string, v any) error {
	switch t := normalize(v).(type) {
	case timedeltaValue, timeValue:
		return &plainError{fmt.Sprintf("%s - ('cannot represent an object', %s)", filter, t.(pyObject).pyRepr())}
	case []any:
		for _, e := range t {
			if err := yamlRepresentable(filter, e); err != nil {
				return err
			}
		}
	case map[string]any:
		for _, k := range orderedKeys(t) {
			if err := yamlRepresentable(filter, t[k]); err != nil {
				return err
			}
		}
	}
	return nil
}
