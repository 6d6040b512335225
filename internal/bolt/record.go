package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// value is a record as stored under its key: JSON, the sealed bytes in
// base64 (encoding/json's way with []byte).
type value struct {
	Version int64     `json:"version"`
	Expires time.Time `json:"expires"`
	Sealed  []byte    `json:"sealed"`
}

// malformedError is a stored value that does not decode.
type malformedError struct{ err error }

func (e *malformedError) Error() string { return "malformed record: " + e.err.Error() }
func (e *malformedError) Unwrap() error { return e.err }

func put(b *bbolt.Bucket, rec connector.Record) error {
	v, err := json.Marshal(value{Version: rec.Version, Expires: rec.Expires.UTC(), Sealed: rec.Sealed})
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	return b.Put([]byte(rec.Key), v)
}

// decode reads a stored value. The bytes bbolt hands out are valid only
// inside the transaction; json.Unmarshal copies what it keeps.
func decode(key string, raw []byte) (connector.Record, error) {
	var v value
	if err := json.Unmarshal(raw, &v); err != nil {
		return connector.Record{}, &malformedError{err}
	}
	return connector.Record{Key: key, Version: v.Version, Expires: v.Expires, Sealed: v.Sealed}, nil
}
