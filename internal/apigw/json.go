package apigw

import (
	"bytes"
	"encoding/json"
)

// marshal writes v as JSON the way the edge writes every answer body:
// encoding/json with "&", "<" and ">" as they are, since links carry "&"
// and chat platforms show values raw; no trailing newline. The response
// envelope around the body is appendJSON's (invoke.go).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
