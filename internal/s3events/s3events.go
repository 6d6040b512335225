// Package s3events reads the events Amazon S3 sends to Amazon EventBridge
// about an object's tags ("Object Tags Added"; testdata/README.md names
// AWS's pages). It knows the event's format only: what the tags say is
// the wiring's, and what a verdict does is the domain's.
package s3events

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The event's source and detail type, as EventBridge rules match them.
const (
	Source        = "aws.s3"
	TagsAddedType = "Object Tags Added"
)

// ErrOtherEvent means the event is not an S3 "Object Tags Added" event.
// It wraps connector.ErrInvalid.
var ErrOtherEvent = fmt.Errorf("%w: not an S3 Object Tags Added event", connector.ErrInvalid)

// Object names the object whose tags changed: its bucket, its key decoded
// as S3 encodes keys in notifications (form encoding: "+" is a space),
// and the key as the event wrote it (RawKey), for a key that was not
// encoded after all.
type Object struct {
	Bucket string
	Key    string
	RawKey string
}

// Keys returns the keys to try, the decoded one first, each once.
func (o Object) Keys() []string {
	if o.RawKey == o.Key {
		return []string{o.Key}
	}
	return []string{o.Key, o.RawKey}
}

type event struct {
	Source     string `json:"source"`
	DetailType string `json:"detail-type"`
	Detail     struct {
		Bucket struct {
			Name string `json:"name"`
		} `json:"bucket"`
		Object struct {
			Key string `json:"key"`
		} `json:"object"`
	} `json:"detail"`
}

// ParseTagsAdded reads the object of an "Object Tags Added" event. It
// returns ErrOtherEvent for an event of another source or type, and
// connector.ErrInvalid for one that is not JSON or names no object. A key
// that does not decode (a "%" not followed by two hex digits) is taken as
// it came.
func ParseTagsAdded(raw []byte) (Object, error) {
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Object{}, fmt.Errorf("%w: s3events: event: %w", connector.ErrInvalid, err)
	}
	if ev.Source != Source || ev.DetailType != TagsAddedType {
		return Object{}, ErrOtherEvent
	}
	b, k := ev.Detail.Bucket.Name, ev.Detail.Object.Key
	if b == "" || k == "" {
		return Object{}, fmt.Errorf("%w: s3events: the event names no bucket or object", connector.ErrInvalid)
	}
	key, err := url.QueryUnescape(k)
	if err != nil || key == "" {
		key = k
	}
	return Object{Bucket: b, Key: key, RawKey: k}, nil
}

// IsOther reports whether err means the event is not a tags event.
func IsOther(err error) bool { return errors.Is(err, ErrOtherEvent) }
