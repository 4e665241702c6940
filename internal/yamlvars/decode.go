package yamlvars

// Decode reads a vars text (YAML or JSON, possibly a vault envelope) into
// plain data; nil for an empty document. name is the file, for errors.
func Decode(data []byte, name string, opts Options) (any, error) {
	doc, err := Parse(data, name, opts)
	if err != nil || doc.Root == nil {
		return nil, err
	}
	opts.JSON = doc.JSON
	return Value(doc.Root, name, opts)
}

// DecodeMap is Decode for texts that must hold a mapping (vars files,
// extra vars): nil data gives an empty map; another type is an error
// naming what was found.
func DecodeMap(data []byte, name string, opts Options) (map[string]any, error) {
	v, err := Decode(data, name, opts)
	if err != nil {
		return nil, err
	}
	switch m := v.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return m, nil
	}
	return nil, &Error{File: name, Msg: "expected a mapping of variables, got " + TypeName(v)}
}

// TypeName is the Python type name Ansible's messages use for v.
func TypeName(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "str"
	case int:
		return "int"
	case float64:
		return "float"
	case bool:
		return "bool"
	case nil:
		return "NoneType"
	}
	return "dict"
}
