package dropzone

import (
	"crypto/hmac"
	"crypto/sha256"
)

// Verify reports whether digest is the base64url (padding optional)
// HMAC-SHA256 of data, exactly as received, under key. The compare is
// constant-time; nothing in data is looked at.
func (Codec) Verify(data, digest string, key []byte) bool {
	got, ok := decodeBase64(digest)
	if !ok || len(got) != sha256.Size || len(key) == 0 {
		return false
	}
	return hmac.Equal(got, Sign(data, key))
}

// Sign returns the HMAC-SHA256 of data under key: the raw digest that
// Verify accepts once base64url-encoded.
func Sign(data string, key []byte) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return mac.Sum(nil)
}
