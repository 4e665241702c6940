package template

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gossible/gossible/internal/keyorder"
)

// Python dicts keep insertion order and Ansible prints and iterates them that way, except
// where it sorts on purpose (to_nice_json, to_yaml, dictsort, the callback's JSON). Go maps
// keep none, so every map made here from ordered input records its order with keyorder,
// and every place Python would walk a dict asks orderedKeys.

// orderedKeys is m's keys in Python's dict order: as recorded when the map was made
// (YAML, a {...} literal, a filter), keys never recorded following sorted.
func orderedKeys(m map[string]any) []string { return keyorder.Keys(m) }

// sortedKeys is m's keys sorted, for output Ansible sorts (to_nice_json, to_yaml, dictsort).
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodeJSONOrdered decodes one JSON document as Python's json.loads does: objects keep
// their key order (a repeated key keeps its first place and its last value), numbers
// become int or float64.
func decodeJSONOrdered(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := jsonValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("extra data after the JSON value")
	}
	return v, nil
}

func jsonValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '[':
			out := []any{}
			for dec.More() {
				e, err := jsonValue(dec)
				if err != nil {
					return nil, err
				}
				out = append(out, e)
			}
			_, err := dec.Token() // ]
			return out, err
		case '{':
			out := map[string]any{}
			var order []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := jsonValue(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := out[k]; !dup {
					order = append(order, k)
				}
				out[k] = v
			}
			keyorder.Record(out, order)
			_, err := dec.Token() // }
			return out, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case json.Number:
		return fromJSONNumbers(t), nil
	}
	return tok, nil
}

// recordYAMLOrder records, for every mapping in v (decoded from n), the order its keys
// were written in n. Keys brought in by a merge key (<<) follow, sorted (PyYAML puts
// them first: a known difference for that rare case).
func recordYAMLOrder(n *yaml.Node, v any) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			recordYAMLOrder(n.Content[0], v)
		}
	case yaml.AliasNode:
		recordYAMLOrder(n.Alias, v)
	case yaml.SequenceNode:
		l, ok := v.([]any)
		if !ok || len(l) != len(n.Content) {
			return
		}
		for i, c := range n.Content {
			recordYAMLOrder(c, l[i])
		}
	case yaml.MappingNode:
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		var order []string
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				continue
			}
			key := k.Value
			if _, present := m[key]; !present {
				// a non-string key (1, true) decoded under another spelling
				var kv any
				if err := k.Decode(&kv); err != nil {
					continue
				}
				key = keyString(normalize(kv))
			}
			if !seen[key] {
				seen[key] = true
				order = append(order, key)
			}
			recordYAMLOrder(val, m[key])
		}
		keyorder.Record(m, order)
	}
}
