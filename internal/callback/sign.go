// Package callback posts connector events to the operator's receiver as
// Standard Webhooks 1.0 (https://www.standardwebhooks.com/): each request
// is signed with HMAC-SHA256 under a "whsec_…" secret, so the receiver can
// check it with any Standard Webhooks library.
package callback

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Header names of Standard Webhooks 1.0.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts every Standard Webhooks secret; base64 follows.
const secretPrefix = "whsec_"

// MinSecretBytes is the shortest key the contract accepts; NewSecret makes
// keys of secretBytes.
const (
	MinSecretBytes = 24
	secretBytes    = 32
)

// errSecret says the secret is malformed, without quoting it.
var errSecret = errors.New("the callback secret is not whsec_ and the base64 of at least 24 bytes")

// NewSecret returns a fresh signing secret: "whsec_" and the base64 of 32
// random bytes.
func NewSecret() (connector.Secret, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return connector.Secret(secretPrefix + base64.StdEncoding.EncodeToString(b)), nil
}

// key returns the HMAC key of a "whsec_…" secret.
func key(secret connector.Secret) ([]byte, error) {
	enc, ok := strings.CutPrefix(strings.TrimSpace(string(secret)), secretPrefix)
	if !ok {
		return nil, errSecret
	}
	k, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(k) < MinSecretBytes {
		return nil, errSecret
	}
	return k, nil
}

// Sign returns the webhook-signature header of a message: "v1," and the
// base64 of HMAC-SHA256 under the secret's key of id, ".", the unix
// seconds of at, ".", and body. It returns an error if secret is not
// "whsec_" and the base64 of at least MinSecretBytes bytes.
func Sign(secret connector.Secret, id string, at time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	return sign(k, id, strconv.FormatInt(at.Unix(), 10), body), nil
}

func sign(k []byte, id, ts string, body []byte) string {
	m := signer(k, id, ts)
	m.Write(body)
	return signature(m)
}

// signer returns the HMAC of a message of id and ts to which only the
// body remains to be written, so that a body can be signed as it streams.
func signer(k []byte, id, ts string) hash.Hash {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	return m
}

// signature is the webhook-signature header of the message signer m got.
func signature(m hash.Hash) string {
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}
