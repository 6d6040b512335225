package connector

import (
	"errors"
	"fmt"
)

// The error kinds of the service. Every error the service returns wraps at
// most one of them; the API edge maps each to a status in one table.
var (
	// ErrInvalid means the request is malformed: not JSON, a missing or
	// malformed field, an unknown action. HTTP 400.
	ErrInvalid = errors.New("invalid request")

	// ErrUnauthorized means the caller could not be authenticated: a wrong
	// API token, a forged digest, a stale or replayed notification. HTTP 401.
	ErrUnauthorized = errors.New("unauthorized")

	// ErrNotFound means the upload is unknown, expired, or bound to another
	// email; the cases are deliberately indistinguishable. HTTP 404.
	ErrNotFound = errors.New("not found")

	// ErrConflict means the request contradicts what is stored: another
	// link for a stored package, or an upload that is full. A store also
	// returns it when a conditional write loses a race. HTTP 409.
	ErrConflict = errors.New("conflict")

	// ErrUnavailable means a dependency (the store, the topic, the secret)
	// failed; nothing was half-done and the request is safe to retry.
	// HTTP 503.
	ErrUnavailable = errors.New("unavailable")
)

// userError is an error of one of the kinds above whose message is written
// for the person who made the request. It never holds a secret.
type userError struct {
	kind error
	msg  string
}

func (e *userError) Error() string { return e.kind.Error() + ": " + e.msg }
func (e *userError) Unwrap() error { return e.kind }

// Errorf returns an error of the given kind whose Message is the formatted
// text, a sentence for the person who made the request. The text must not
// contain an email, link, key, token or upload id.
func Errorf(kind error, format string, args ...any) error {
	return &userError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Message returns the sentence meant for the requester that err carries, or
// "" if it carries none (then the edge uses the default for its kind).
func Message(err error) string {
	var ue *userError
	if errors.As(err, &ue) {
		return ue.msg
	}
	return ""
}
