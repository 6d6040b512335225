package connector

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Notice is a Dropzone notification as received: the signed data, its
// digest, and the secure link (which the digest does not cover).
type Notice struct {
	Data       string
	Digest     string
	SecureLink Link
}

// Outcomes of an accepted notification, for the log line.
const (
	OutcomeStored    = "stored"    // a new package stored and published
	OutcomeRepeat    = "repeat"    // already stored and published: nothing done
	OutcomeRepublish = "republish" // already stored; its event published now
	OutcomeUnmatched = "unmatched" // no open upload: published as upload.unmatched
)

// Receipt says what Notify did.
type Receipt struct {
	Outcome string
	// UploadID is the upload id the notification named, once its data has
	// been authenticated; "" before that.
	UploadID string
	// MarkFailed reports that the event was published but could not be
	// recorded as published, so a retry of the same request would publish
	// it again (at least once, never lost).
	MarkFailed bool
}

// Notify checks a Dropzone notification in the contract's order and stores
// and publishes the submission. It returns
//   - ErrUnauthorized for a digest that matches no key, or a submittedAt
//     that is missing, malformed, too old or too far in the future;
//   - ErrInvalid for data that does not decode or lacks a field, a foreign
//     Dropzone id, or a secure link that does not match the signed data;
//   - ErrNotFound (after publishing upload.unmatched) for an unknown,
//     closed or foreign upload;
//   - ErrConflict for another link for a stored package or a full upload;
//   - ErrUnavailable if the keys, the store or the topic fail.
func (s *Service) Notify(ctx context.Context, n Notice) (Receipt, error) {
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	a, err := s.authenticate(ctx, n)
	if err != nil {
		return Receipt{}, err
	}
	ks, sub := a.keys, a.sub
	rc := Receipt{UploadID: sub.UploadID}
	at, err := s.fresh(a)
	if err != nil {
		return rc, err
	}
	lp, err := s.checkLink(sub, n.SecureLink)
	if err != nil {
		return rc, err
	}
	p := pkg{PackageID: sub.PackageID, Link: n.SecureLink, Email: sub.Email,
		DropzoneID: sub.DropzoneID, SubmittedAt: at}
	id, ok := canonicalID(strings.TrimSpace(sub.UploadID))
	if ks.Trusted.Enabled() {
		return s.acceptVerified(ctx, rc, ks.Trusted, a, lp, id, ok, p)
	}
	if !ok {
		return s.unmatched(ctx, rc, sub.UploadID, p)
	}
	return s.accept(ctx, rc, id, p, true, nil)
}

// fresh runs check 3 on a notification in our JSON form. One in
// SendSafely's own form is judged by the upload's lifetime instead (accept
// refuses a closed upload): its package can only ever land in the upload
// its label names, so the age of the package says nothing about a replay,
// and SendSafely's clock need not agree with ours. Its time is the
// package's.
func (s *Service) fresh(a signed) (time.Time, error) {
	if a.fetched != nil {
		return s.timestamp(*a.fetched), nil
	}
	return s.checkFresh(a.sub.SubmittedAt)
}

// signed is a notification its digest authenticated: the keys that
// checked it, its submission, and the package SendSafely described when
// the submission was read from there (verified mode; nil otherwise).
type signed struct {
	keys    KeySet
	sub     Submission
	fetched *Package
}

// authenticate runs checks 1 and 2: the digest under the current or the
// previous key, then the form of the signed data. In verified mode, data
// that is not our JSON object (SendSafely's own format) is read from the
// package the link names instead.
func (s *Service) authenticate(ctx context.Context, n Notice) (signed, error) {
	ks, err := s.keySet(ctx)
	if err != nil {
		return signed{}, err
	}
	if n.Digest == "" || n.Data == "" {
		return signed{}, Errorf(ErrUnauthorized, "The notification is not signed.")
	}
	if !s.verify(ks, n) {
		// A key put into the secret a moment ago is not in the cache yet:
		// read the secret again (Refresh limits how often).
		if ks, err = s.keys.Refresh(ctx); err != nil {
			return signed{}, fmt.Errorf("%w: keys: %w", ErrUnavailable, err)
		}
		if err := s.checkKeySet(ks); err != nil {
			return signed{}, err
		}
		if ks.ValidationKey == "" {
			return signed{}, fmt.Errorf("%w: the Dropzone validation key is not configured", ErrUnavailable)
		}
		if !s.verify(ks, n) {
			return signed{}, Errorf(ErrUnauthorized, "The notification's digest does not match.")
		}
	}
	if ks.Trusted.Enabled() && s.ss == nil {
		return signed{}, fmt.Errorf("%w: verified mode is configured in the secret but the connector has no SendSafely client", ErrUnavailable)
	}
	var fetched *Package
	sub, err := s.dz.Decode(n.Data)
	if err != nil && errors.Is(err, ErrInvalid) && ks.Trusted.Enabled() {
		sub, fetched, err = s.fromSendSafely(ctx, ks.Trusted, n.SecureLink)
	}
	if err != nil {
		return signed{}, err
	}
	for _, f := range []struct{ name, v string }{
		{"uploadId", sub.UploadID}, {"email", string(sub.Email)},
		{"packageId", sub.PackageID}, {"packageCode", string(sub.PackageCode)},
	} {
		if strings.TrimSpace(f.v) == "" {
			return signed{}, Errorf(ErrInvalid, "The notification's data has no %s.", f.name)
		}
	}
	return signed{keys: ks, sub: sub, fetched: fetched}, nil
}

// verify reports whether n's digest matches under the current key or the
// previous one; false when no key is configured.
func (s *Service) verify(ks KeySet, n Notice) bool {
	if ks.ValidationKey == "" {
		return false
	}
	return s.dz.Verify(n.Data, n.Digest, []byte(ks.ValidationKey)) ||
		ks.PreviousValidationKey != "" && s.dz.Verify(n.Data, n.Digest, []byte(ks.PreviousValidationKey))
}
