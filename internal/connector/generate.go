package connector

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// GenerateRequest asks for a new upload.
type GenerateRequest struct {
	// Email, if set, binds the upload to that address now.
	Email Email
	// ConversationID is the chat platform's session id, carried into events.
	ConversationID string
}

// Upload is a new upload, ready to be shown to the customer.
type Upload struct {
	ID        string
	URL       Link // the upload page with every parameter filled in
	ExpiresAt time.Time
}

// GenerateID creates an upload and returns its id and upload page link.
// It returns ErrInvalid for a malformed email or conversation id and
// ErrUnavailable if the store cannot be reached.
func (s *Service) GenerateID(ctx context.Context, req GenerateRequest) (Upload, error) {
	if req.Email != "" && !validEmail(strings.TrimSpace(string(req.Email))) {
		return Upload{}, Errorf(ErrInvalid, "The field email is not an email address.")
	}
	if utf8.RuneCountInString(req.ConversationID) > MaxConversationID {
		return Upload{}, Errorf(ErrInvalid, "The field conversationId is longer than %d characters.", MaxConversationID)
	}
	if !shownSafely(req.ConversationID) {
		return Upload{}, Errorf(ErrInvalid, "The field conversationId holds control characters.")
	}
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	now := s.now().UTC().Truncate(time.Second)
	st := state{Email: req.Email, ConversationID: req.ConversationID, OpenUntil: now.Add(s.set.UploadTTL), CreatedAt: now}
	// A collision of random UUIDs is practically impossible; a second try
	// costs nothing and makes "never reused" hold even then.
	for range 3 {
		raw, err := s.newID()
		if err != nil {
			return Upload{}, fmt.Errorf("generate id: %w", err)
		}
		id, ok := canonicalID(raw)
		if !ok {
			return Upload{}, fmt.Errorf("generate id: source returned a malformed id")
		}
		k := keysOf(id)
		key := k.table()
		blob, err := seal(k.aead(), key, st)
		if err != nil {
			return Upload{}, err
		}
		err = s.store.Create(ctx, Record{Key: key, Version: 1, Expires: st.OpenUntil, Sealed: blob})
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return Upload{}, fmt.Errorf("generate id: %w", err)
		}
		return Upload{ID: id, URL: s.uploadURL(id, req.Email), ExpiresAt: st.OpenUntil}, nil
	}
	return Upload{}, fmt.Errorf("generate id: %w: no free id after 3 tries", ErrUnavailable)
}

// uploadURL returns the upload page link for id, parameters in the order
// the upload page documents them (id, e, dz, h), each URL-encoded.
func (s *Service) uploadURL(id string, email Email) Link {
	var b strings.Builder
	b.WriteString(s.set.UploadPageURL)
	if strings.Contains(s.set.UploadPageURL, "?") {
		b.WriteByte('&')
	} else {
		b.WriteByte('?')
	}
	b.WriteString("id=")
	b.WriteString(url.QueryEscape(id))
	if email != "" {
		b.WriteString("&e=")
		b.WriteString(url.QueryEscape(string(email)))
	}
	b.WriteString("&dz=")
	b.WriteString(url.QueryEscape(s.set.DropzoneID))
	b.WriteString("&h=")
	b.WriteString(url.QueryEscape(s.set.SendSafelyHost))
	return Link(b.String())
}
