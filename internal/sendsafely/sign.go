// Package sendsafely reads packages through SendSafely's REST API as the
// Dropzone's owner, and decrypts their keycodes with a Trusted Browser
// key: the connector.SendSafely port of verified mode. It also fetches and
// decrypts their files' parts: the connector.FileSource port.
package sendsafely

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// The request headers SendSafely authenticates a call by.
const (
	HeaderAPIKey    = "ss-api-key"
	HeaderTimestamp = "ss-request-timestamp"
	HeaderSignature = "ss-request-signature"
)

// TimestampLayout is how ss-request-timestamp is written, always in UTC.
const TimestampLayout = "2006-01-02T15:04:05+0000"

// Timestamp formats t as ss-request-timestamp.
func Timestamp(t time.Time) string { return t.UTC().Format(TimestampLayout) }

// Sign returns ss-request-signature: the lowercase hex HMAC-SHA256, under
// apiSecret, of apiKey + path + timestamp + body, where path starts at
// /api/v2.0 and excludes the query, and body is the exact JSON sent (""
// for a GET).
func Sign(apiKey, apiSecret, path, timestamp, body string) string {
	m := hmac.New(sha256.New, []byte(apiSecret))
	m.Write([]byte(apiKey))
	m.Write([]byte(path))
	m.Write([]byte(timestamp))
	m.Write([]byte(body))
	return hex.EncodeToString(m.Sum(nil))
}
