package connector

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// state is what a record holds, sealed: nothing here is stored in the clear.
type state struct {
	Email          Email     `json:"email,omitempty"` // bound email, as given
	ConversationID string    `json:"conversationId,omitempty"`
	OpenUntil      time.Time `json:"openUntil"`
	// CreatedAt is when the upload was made; zero in records written
	// before it was kept (then OpenUntil less the upload TTL stands in).
	CreatedAt time.Time `json:"createdAt,omitzero"`
	Packages  []pkg     `json:"packages,omitempty"`
}

// pkg is one accepted submission.
type pkg struct {
	PackageID   string    `json:"packageId"`
	Link        Link      `json:"link"`
	Email       Email     `json:"email"`
	DropzoneID  string    `json:"dropzoneId,omitempty"`
	SubmittedAt time.Time `json:"submittedAt"`
	Published   bool      `json:"published"`
	// Claim and ClaimedUntil name the request that publishes the event
	// (a random token) and how long its claim lasts; both empty when
	// nobody is publishing it.
	Claim        string    `json:"claim,omitempty"`
	ClaimedUntil time.Time `json:"claimedUntil,omitzero"`
	// Source is who told of it (SourceWebhook or SourceSendSafely); records
	// written before sources existed hold "" and came from the webhook.
	Source string `json:"source,omitempty"`
	// Files is the package's manifest in SendSafely's order, with what
	// became of each file (retrieval, scan, callback); nil in records
	// written before manifests, and outside verified mode. A package of no
	// files has an empty, non-nil manifest: the key is written even then
	// (null when nil), so that "no files" and "no manifest" stay apart.
	Files []File `json:"files"`
	// listed are the files SendSafely lists for the package, on their way
	// to being judged into Files when the package is stored; never stored.
	listed []PackageFile
	// Retrievals is how far the retrieval of each accepted file has come
	// (retrieval.go); nil until the package's retrieval starts.
	Retrievals []retrieval `json:"retrievals,omitempty"`
	// StoredEvent is the publication of the package's upload.stored
	// event, once every accepted file has an end state.
	StoredEvent publication `json:"storedEvent,omitzero"`
	// ScannedEvent is the publication of its upload.scanned event, once
	// every stored file has a verdict (scan.go).
	ScannedEvent publication `json:"scannedEvent,omitzero"`
}

// publication is the state of one event of a package that is published
// once: a claim (a random token and how long it lasts) while a request
// publishes it, then Published.
type publication struct {
	Published    bool      `json:"published,omitempty"`
	Claim        string    `json:"claim,omitempty"`
	ClaimedUntil time.Time `json:"claimedUntil,omitzero"`
}

// claim marks the package as being published by a new claim that lasts
// until until.
func (p *pkg) claim(until time.Time) {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	p.Claim, p.ClaimedUntil = hex.EncodeToString(b[:]), until.UTC()
}

// source returns who told of the package.
func (p pkg) source() string {
	if p.Source == "" {
		return SourceWebhook
	}
	return p.Source
}

// find returns the index of the package with the given id, or -1.
func (st *state) find(packageID string) int {
	for i, p := range st.Packages {
		if p.PackageID == packageID {
			return i
		}
	}
	return -1
}

// upload is a record opened: its id, key, version and state, and the AEAD
// that sealed it, kept to seal it again.
type upload struct {
	id      string // canonical upload id
	keys    idKeys // its derivations, for the event id
	key     string
	aead    cipher.AEAD
	version int64
	expires time.Time
	st      state
}

// load reads and opens the upload with canonical id. It returns ErrNotFound
// if there is none or it has expired (TTL may not have deleted it yet).
func (s *Service) load(ctx context.Context, id string) (*upload, error) {
	k := keysOf(id)
	key := k.table()
	rec, err := s.store.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("load upload: %w", err)
	}
	if !s.now().Before(rec.Expires) {
		return nil, fmt.Errorf("load upload: expired: %w", ErrNotFound)
	}
	u := &upload{id: id, keys: k, key: key, aead: k.aead(), version: rec.Version, expires: rec.Expires}
	if err := unseal(u.aead, key, rec.Sealed, &u.st); err != nil {
		return nil, fmt.Errorf("load upload: %w", err)
	}
	return u, nil
}

// save writes u in place of the version it was loaded at. It returns
// ErrConflict if another writer got there first.
func (s *Service) save(ctx context.Context, u *upload) error {
	blob, err := seal(u.aead, u.key, u.st)
	if err != nil {
		return err
	}
	rec := Record{Key: u.key, Version: u.version + 1, Expires: u.expires, Sealed: blob}
	if err := s.store.Replace(ctx, rec, u.version); err != nil {
		return fmt.Errorf("save upload: %w", err)
	}
	u.version++
	return nil
}

// notFound is the one answer for unknown, expired and foreign uploads.
func notFound() error {
	return Errorf(ErrNotFound, "No upload was found for that upload id and email; it may have expired.")
}

// isNotFound reports whether err means the upload does not exist for us.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
