package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// submission is what SendSafely's server signs for one upload, in our
// reading of the format (see internal/dropzone): the signed data is
// base64url of this JSON object, the digest the HMAC-SHA256 of that string
// under the Dropzone Validation Key.
type submission struct {
	UploadID    string `json:"uploadId"`
	Email       string `json:"email"`
	PackageID   string `json:"packageId"`
	PackageCode string `json:"packageCode"`
	DropzoneID  string `json:"dropzoneId"`
	SubmittedAt string `json:"submittedAt"`
}

// sign returns the data and digest of s under key, base64url without
// padding, as the upload page receives them.
func (s submission) sign(key []byte) (data, digest string) {
	raw, _ := json.Marshal(s) // a struct of strings always encodes
	data = base64.RawURLEncoding.EncodeToString(raw)
	return data, base64.RawURLEncoding.EncodeToString(dropzone.Sign(data, key))
}

// notification returns the form the upload page posts to the webhook.
func (s submission) notification(key []byte, host, keyCode string) url.Values {
	data, digest := s.sign(key)
	return url.Values{"digest": {digest}, "data": {data}, "secureLink": {secureLink(host, s.PackageID, s.PackageCode, keyCode)}}
}

// secureLink returns the link SendSafely gives a package.
func secureLink(host, packageID, packageCode, keyCode string) string {
	return "https://" + host + "/receive/?thread=" + url.QueryEscape(packageID) +
		"&packageCode=" + url.QueryEscape(packageCode) + "#keyCode=" + url.QueryEscape(keyCode)
}

// submittedAt returns t as a notification carries it.
func submittedAt(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// newPackageID returns an id shaped like SendSafely's, such as A4Z1-MBLN.
func newPackageID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	var raw [8]byte
	_, _ = rand.Read(raw[:])
	b := make([]byte, 0, 9)
	for i, r := range raw {
		if i == 4 {
			b = append(b, '-')
		}
		b = append(b, alphabet[int(r)%len(alphabet)])
	}
	return string(b)
}

// newCode returns a package code or key code: 32 random bytes, base64url,
// 43 characters.
func newCode() string {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	return base64.RawURLEncoding.EncodeToString(raw[:])
}
