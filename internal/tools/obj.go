package tools

import (
	"bytes"
	"encoding/json"

	"gopkg.in/yaml.v3"
)

// obj is a JSON or YAML object whose keys keep the order they were added
// in, so that generated files read top-down like hand-written ones.
type obj []field

type field struct {
	key string
	val any
}

// MarshalJSON writes the object with its keys in order, "&" and "<" as
// they are.
func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, err := marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := marshal(f.val)
		if err != nil {
			return nil, err
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// MarshalYAML returns the object as a YAML mapping with its keys in order.
// Keys are always strings ("200" stays a string).
func (o obj) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range o {
		var v yaml.Node
		if err := v.Encode(f.val); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.key}, &v)
	}
	return n, nil
}
