package apigw

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzResponseJSON: appendJSON writes what encoding/json writes for a
// Response without HTML escaping (aws-lambda-go's setting), for any header
// names, values and body, valid UTF-8 or not.
func FuzzResponseJSON(f *testing.F) {
	f.Add(200, "Content-Type", "application/json", `{"Result":"Success","SecureLink":"https://a/?x=1&y=<2>#k"}`, false)
	f.Add(503, "Retry-After", "2", "line\nbreak\ttab\x00nul\x7fdel\u2028ls\u2029ps\"q\\b\b\f\r", true)
	f.Add(400, "X", "\xff\xfe", "bad \xc3\x28 utf8 é ✓ 😀", false)
	f.Fuzz(func(t *testing.T, status int, name, value, body string, b64 bool) {
		r := Response{StatusCode: status, Headers: map[string]string{name: value, "Vary": "Origin", "a": body}, Body: body, IsBase64Encoded: b64}
		for _, r := range []Response{r, {StatusCode: status, Body: body}} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
			if got := r.appendJSON(nil); !bytes.Equal(got, bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
				t.Errorf("got  %s\nwant %s", got, want.Bytes())
			}
		}
	})
}
