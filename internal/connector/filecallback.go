package connector

import (
	"context"
	"io"
)

// File callback (AmplifyReach's external callback): each stored file that
// is Ready is POSTed to the operator's receiver, which answers with its
// own id and URL for the file, recorded on the file as File.Callback.
// Deliveries of upload.stored and upload.scanned drive it, from the
// delivery queue, so a failed send is retried on the delivery schedule.

// DefaultFileCallbackMaxSize is the largest file sent when Handoff sets
// no FileMaxSize: 100 MB.
const DefaultFileCallbackMaxSize = 100_000_000

// What File.Callback.Error says of a file that was not sent.
const (
	// CallbackTooLarge: the file is over FILE_CALLBACK_MAX_SIZE.
	CallbackTooLarge = "too large"
	// CallbackChanged: the stored object is not what retrieval stored.
	CallbackChanged = "the stored content does not match its sha256"
	// CallbackNotDelivered: every attempt failed (the receiver was down,
	// or answered something else than status 0 or 1).
	CallbackNotDelivered = "not delivered: the receiver did not take it on any attempt"
	// CallbackNoObject: the file's object is not in the store (expired,
	// deleted), or retrieval recorded none.
	CallbackNoObject = "no stored object"
)

// FilePost is one file for the file callback.
type FilePost struct {
	// WebhookID is the Standard Webhooks id of the post, the same for
	// every attempt: the package's upload.submitted event id, ".", and
	// the file id.
	WebhookID string
	// ChatID is the upload's conversation id, or the package id when it
	// has none.
	ChatID    string
	PackageID string
	FileID    string
	Name      string // the file's name
	Type      string // its media type
	Size      int64  // its size in bytes
	Sha256    string // the lowercase hex SHA-256 retrieval stored it with
	// Open returns the file's content from its first byte. The sender
	// may call it more than once (a signature over the whole body takes
	// a pass of its own), and closes what it returns.
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// FileCallbacks posts stored files to the file callback's receiver.
type FileCallbacks interface {
	// SendFile posts p once, signed with secret (a Standard Webhooks
	// "whsec_…" secret), streaming its content: never the whole file in
	// memory. It returns what the receiver answered: UID and URL when it
	// took the file, Error when it refused it (not to be sent again). It
	// returns ErrCorrupt if the content read is not p.Size bytes with
	// p.Sha256 (then nothing was sent), ErrNotFound if the object is gone
	// from the store, and ErrUnavailable if the
	// receiver answered anything else, did not answer in time, could not
	// be reached, if the content could not be read, or if secret is
	// malformed: then the file may or may not have arrived.
	SendFile(ctx context.Context, p FilePost, secret Secret) (FileCallback, error)
}
