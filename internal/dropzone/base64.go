package dropzone

import (
	"encoding/base64"
	"strings"
)

// decodeBase64 decodes base64url with or without padding. The standard
// alphabet is accepted too: a client that sends it loses nothing by it.
func decodeBase64(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	enc := base64.RawURLEncoding
	if strings.ContainsAny(s, "+/") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	return b, err == nil
}
