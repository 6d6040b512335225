package tools

import (
	"bytes"
	"encoding/json"
)

// obj is a JSON object whose keys keep the order they were added
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
		k, err := Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := Marshal(f.val)
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

// Marshal writes v as JSON the way the tools write their outputs and the
// generated documents: "&", "<" and ">" as they are, since links carry "&"
// and agents show values raw. The edges have writers of their own.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
