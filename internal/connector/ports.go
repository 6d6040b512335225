package connector

import (
	"context"
	"time"
)

// Record is an upload as the store keeps it: nothing in it is readable
// without the upload id. Key is a one-way hash of the id, Sealed the
// encrypted state, Expires the moment the record stops existing (the
// table's TTL attribute).
type Record struct {
	Key     string
	Version int64
	Expires time.Time
	Sealed  []byte
}

// Store keeps upload records. Implementations read strongly consistent.
type Store interface {
	// Get returns the record stored under key, expired or not.
	// It returns ErrNotFound if there is none and ErrUnavailable if the
	// store cannot be reached.
	Get(ctx context.Context, key string) (Record, error)

	// Create stores rec under rec.Key. It returns ErrConflict if a record
	// already exists there and ErrUnavailable if the store cannot be reached.
	Create(ctx context.Context, rec Record) error

	// Replace stores rec in place of the record under rec.Key whose version
	// is prev. It returns ErrConflict if the stored version is not prev
	// (another writer won) or there is no record, and ErrUnavailable if the
	// store cannot be reached.
	Replace(ctx context.Context, rec Record, prev int64) error
}

// Event types published to subscribers.
const (
	EventSubmitted = "upload.submitted"
	EventUnmatched = "upload.unmatched"
	// EventRejected: see manifest.go.
	// EventStored is published once per package when every accepted file
	// of it has an end state (stored, failed or rejected by content).
	EventStored = "upload.stored"
	// EventScanned: see scan.go.
)

// Sources of an event: who told the connector of the submission.
const (
	SourceWebhook    = "webhook"    // the upload page's signed notification
	SourceSendSafely = "sendsafely" // found through the SendSafely API (verified mode)
)

// Event is what subscribers receive when a submission is accepted, or when
// one that passed validation matches no open upload. ID is stable for one
// submission: the same on every retry and republish, so that receivers can
// deduplicate, and a one-way hash that reveals nothing by itself.
type Event struct {
	ID             string `json:"id,omitempty"`
	Type           string `json:"type"`
	Source         string `json:"source,omitempty"`
	UploadID       string `json:"uploadId"`
	ConversationID string `json:"conversationId,omitempty"`
	Email          Email  `json:"email"`
	PackageID      string `json:"packageId"`
	DropzoneID     string `json:"dropzoneId,omitempty"`
	SubmittedAt    string `json:"submittedAt"`
	SecureLink     Link   `json:"secureLink,omitempty"`
	// FileCount, TotalSize and Files are the package's manifest (verified
	// mode; absent otherwise): how many files, their bytes, and each file
	// with its verdict (names only where names may go, see EventFile).
	FileCount *int        `json:"fileCount,omitempty"`
	TotalSize *int64      `json:"totalSize,omitempty"`
	Files     []EventFile `json:"files,omitzero"`
	// Clean is set in upload.scanned: whether every stored file of the
	// package was found clean.
	Clean *bool `json:"clean,omitempty"`
}

// Publisher fans events out to subscribers.
type Publisher interface {
	// Publish sends ev once. It returns ErrUnavailable if the topic cannot
	// be reached; then the event may or may not have been sent.
	Publish(ctx context.Context, ev Event) error
}

// KeySet is the secret configuration of the connector.
type KeySet struct {
	// ValidationKey is the Dropzone Validation Key; empty until the
	// operator puts it into the secret.
	ValidationKey Secret
	// PreviousValidationKey is still accepted during a key rotation.
	PreviousValidationKey Secret
	// APIToken, when set, must accompany every chatbot and agent call.
	APIToken Secret
	// Trusted turns verified mode on when Trusted.Enabled().
	Trusted TrustedKey
	// CallbackSecret signs callbacks (Standard Webhooks, "whsec_…");
	// empty when unset.
	CallbackSecret Secret
}

// Keys provides the current KeySet.
type Keys interface {
	// Keys returns the current keys, possibly from a cache. It returns
	// ErrUnavailable if they cannot be read.
	Keys(ctx context.Context) (KeySet, error)

	// Refresh returns the keys read anew, bypassing the cache, unless
	// Refresh read them less than RefreshInterval ago (then the cached
	// keys), so that a key just put into the secret works at once while
	// forged requests cannot make every call read the secret. It returns
	// ErrUnavailable if the keys cannot be read.
	Refresh(ctx context.Context) (KeySet, error)
}

// RefreshInterval is the shortest time between two reads of the keys that
// Refresh makes, per instance.
const RefreshInterval = 30 * time.Second

// Submission is the signed payload of a Dropzone notification, decoded but
// not yet checked beyond its form.
type Submission struct {
	UploadID    string // from "uploadId", or "name" in its place
	Email       Email
	PackageID   string
	PackageCode Secret
	DropzoneID  string
	SubmittedAt string // as sent; the service parses and checks it
}

// LinkParts are the pieces of a secure link the service cross-checks.
type LinkParts struct {
	Scheme      string
	Host        string // with the port, if the link names one
	Path        string // as written, percent-encoding and all
	Thread      string
	PackageCode Secret
	KeyCode     Secret // as written; "" if the fragment is not keyCode=<k>
}

// Dropzone knows the SendSafely side's formats. What is known of them rests
// partly on inference, so it is kept behind this interface, in one place.
type Dropzone interface {
	// Verify reports whether digest authenticates data under key.
	Verify(data, digest string, key []byte) bool

	// Decode decodes the signed data of a notification. It returns
	// ErrInvalid if data is not in the expected form.
	Decode(data string) (Submission, error)

	// ParseLink splits a secure link into its parts. It returns ErrInvalid
	// if link is not a URL.
	ParseLink(link Link) (LinkParts, error)

	// Link returns the secure link of a package on host, as SendSafely
	// writes it.
	Link(host, packageID string, packageCode, keyCode Secret) Link
}
