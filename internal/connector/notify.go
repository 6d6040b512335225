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
	at, err := s.checkFresh(sub.SubmittedAt)
	if err != nil {
		return rc, err
	}
	lp, err := s.checkLink(sub, n.SecureLink)
	if err != nil {
		return rc, err
	}
	link := n.SecureLink
	if ks.Trusted.Enabled() {
		if link, err = s.confirm(ctx, ks.Trusted, sub, lp, a.fetched); err != nil {
			return rc, err
		}
	}
	p := pkg{PackageID: sub.PackageID, Link: link, Email: sub.Email,
		DropzoneID: sub.DropzoneID, SubmittedAt: at}
	id, ok := canonicalID(strings.TrimSpace(sub.UploadID))
	if !ok {
		return s.unmatched(ctx, rc, sub.UploadID, p)
	}
	return s.accept(ctx, rc, id, p, true, nil)
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

// checkFresh runs check 3 and returns the parsed submittedAt.
func (s *Service) checkFresh(submittedAt string) (time.Time, error) {
	if submittedAt == "" {
		return time.Time{}, Errorf(ErrUnauthorized, "The notification has no submittedAt.")
	}
	at, err := time.Parse(time.RFC3339Nano, submittedAt)
	if err != nil {
		return time.Time{}, Errorf(ErrUnauthorized, "The notification's submittedAt is not an RFC 3339 time.")
	}
	now := s.now()
	if now.Sub(at) > s.set.WebhookMaxAge {
		return time.Time{}, Errorf(ErrUnauthorized, "The notification is too old.")
	}
	if at.Sub(now) > maxFutureSkew {
		return time.Time{}, Errorf(ErrUnauthorized, "The notification's submittedAt is in the future.")
	}
	return at.UTC(), nil
}

// checkLink runs check 4: the Dropzone id, and the secure link against the
// signed data and the contract's rules for its form. Every comparison is
// of ASCII as written: no Unicode case folding, no percent-decoding of the
// path, no escapes in the key code.
func (s *Service) checkLink(sub Submission, link Link) (LinkParts, error) {
	if sub.DropzoneID != "" && sub.DropzoneID != s.set.DropzoneID {
		return LinkParts{}, Errorf(ErrInvalid, "The notification is for another Dropzone.")
	}
	lp, err := s.parseLink(link)
	if err != nil {
		return LinkParts{}, err
	}
	switch {
	case lp.Thread != sub.PackageID:
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink's thread does not match the packageId.")
	case lp.PackageCode != sub.PackageCode:
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink's packageCode does not match.")
	}
	return lp, nil
}

// parseLink checks the form of a secure link on its own (check 4 less the
// comparison with the signed data) and returns its parts.
func (s *Service) parseLink(link Link) (LinkParts, error) {
	if link == "" {
		return LinkParts{}, Errorf(ErrInvalid, "The notification has no secureLink.")
	}
	if len(link) > MaxLinkLen || !printableASCII(string(link)) {
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink is not at most %d characters of printable ASCII.", MaxLinkLen)
	}
	lp, err := s.dz.ParseLink(link)
	if err != nil {
		return LinkParts{}, err
	}
	switch {
	case lp.Scheme != "https":
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink is not https.")
	case !asciiEqualFold(lp.Host, s.set.SendSafelyHost):
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink is not on the configured SendSafely host.")
	case lp.Path != "/receive/":
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink is not a /receive/ link.")
	case lp.KeyCode == "":
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink has no keyCode.")
	case !validKeyCode(string(lp.KeyCode)):
		return LinkParts{}, Errorf(ErrInvalid, "The secureLink's keyCode is not %d to %d characters of A-Z, a-z, 0-9, - and _.", minKeyCode, maxKeyCode)
	}
	return lp, nil
}

// accept runs checks 5 and 6 and stores, then publishes. Concurrent writers
// are resolved by re-reading: each attempt sees the latest stored state.
// Check 5's email comes before any look at the stored packages, so a repeat
// of a stored package naming another email is unmatched too. A package
// that matches no open upload is published as upload.unmatched if report
// is set; lookups through the SendSafely API, which would find it again
// and again, leave it at ErrNotFound. loaded, if not nil, is the upload as
// the caller just read it: the first attempt starts from it instead of
// reading it again.
func (s *Service) accept(ctx context.Context, rc Receipt, id string, p pkg, report bool, loaded *upload) (Receipt, error) {
	miss := func() (Receipt, error) {
		if report {
			return s.unmatched(ctx, rc, id, p)
		}
		return rc, notFound()
	}
	for range writeAttempts {
		u, err := loaded, error(nil)
		if loaded = nil; u == nil {
			u, err = s.load(ctx, id)
		}
		if isNotFound(err) {
			return miss()
		}
		if err != nil {
			return rc, fmt.Errorf("notify: %w", err)
		}
		if u.st.Email != "" && !sameEmail(u.st.Email, p.Email) {
			return miss()
		}
		if i := u.st.find(p.PackageID); i >= 0 {
			return s.repeat(ctx, rc, u, i, p)
		}
		now := s.now()
		if !now.Before(u.st.OpenUntil) {
			return miss()
		}
		if len(u.st.Packages) >= MaxPackages {
			return rc, Errorf(ErrConflict, "The upload already holds %d packages.", MaxPackages)
		}
		if u.st.Email == "" {
			u.st.Email = p.Email
		}
		// Storing the package claims its publication in the same write:
		// whoever stores it publishes it.
		p.claim(now.Add(s.claimLease()))
		u.st.Packages = append(u.st.Packages, p)
		if exp := now.Add(s.set.LinkTTL); exp.After(u.expires) {
			u.expires = exp.UTC().Truncate(time.Second)
		}
		err = s.save(ctx, u)
		if errors.Is(err, ErrConflict) {
			continue // another notification for this upload won; look again
		}
		if err != nil {
			return s.refused(ctx, rc, id, p, err)
		}
		rc.Outcome = OutcomeStored
		return s.publishClaimed(ctx, rc, u, len(u.st.Packages)-1)
	}
	return rc, fmt.Errorf("notify: %w: too many concurrent writes", ErrUnavailable)
}

// refused answers a store that failed to keep a new package. Unavailable is
// a 503 the sender retries. Any other refusal would repeat on every retry,
// so the submission is published as upload.unmatched first: refused by the
// store, it is still not lost.
func (s *Service) refused(ctx context.Context, rc Receipt, id string, p pkg, err error) (Receipt, error) {
	if errors.Is(err, ErrUnavailable) {
		return rc, fmt.Errorf("notify: %w", err)
	}
	if perr := s.pub.Publish(ctx, s.event(EventID(EventUnmatched, id, p.PackageID), EventUnmatched, id, "", p)); perr != nil {
		return rc, fmt.Errorf("notify: store refused the package (%w), and publishing it failed: %w", err, perr)
	}
	rc.Outcome = OutcomeUnmatched
	return rc, fmt.Errorf("notify: store refused the package, published as unmatched: %w", err)
}

// repeat answers a notification for a package already stored: the same
// link is idempotent, another link is a conflict and changes nothing. A
// package whose event is not out yet is published by whoever holds its
// claim: repeat waits for that writer while its claim lasts, and takes the
// claim over once it has lapsed (the writer failed or died), so the event
// goes out once in the success path and at least once whatever fails.
func (s *Service) repeat(ctx context.Context, rc Receipt, u *upload, i int, p pkg) (Receipt, error) {
	pause := claimPollFirst
	for range maxClaimPolls {
		if u.st.Packages[i].Link != p.Link {
			return rc, Errorf(ErrConflict, "A different secure link is already stored for this package.")
		}
		if u.st.Packages[i].Published {
			rc.Outcome = OutcomeRepeat
			return rc, nil
		}
		now := s.now()
		if now.Before(u.st.Packages[i].ClaimedUntil) {
			// Another request is publishing it: wait, then look again.
			if err := s.sleep(ctx, min(pause, u.st.Packages[i].ClaimedUntil.Sub(now))); err != nil {
				return rc, fmt.Errorf("notify: %w: another request is publishing this package", ErrUnavailable)
			}
			pause = min(2*pause, claimPollMax)
		} else {
			u.st.Packages[i].claim(now.Add(s.claimLease()))
			err := s.save(ctx, u)
			if err == nil {
				rc.Outcome = OutcomeRepublish
				return s.publishClaimed(ctx, rc, u, i)
			}
			if !errors.Is(err, ErrConflict) {
				return rc, fmt.Errorf("notify: claim: %w", err)
			}
		}
		var err error
		if u, i, err = s.reload(ctx, u.id, p.PackageID); err != nil {
			return rc, err
		}
	}
	return rc, fmt.Errorf("notify: %w: another request is publishing this package", ErrUnavailable)
}

// reload reads upload id again and finds package packageID in it, which
// was stored before and is never removed while the upload lives.
func (s *Service) reload(ctx context.Context, id, packageID string) (*upload, int, error) {
	u, err := s.load(ctx, id)
	if err != nil {
		return nil, 0, fmt.Errorf("notify: %w", err)
	}
	i := u.st.find(packageID)
	if i < 0 {
		return nil, 0, fmt.Errorf("notify: stored package %w", ErrNotFound)
	}
	return u, i, nil
}

// publishClaimed publishes the event of stored package i, whose claim this
// request holds, then records that it was published. If publishing fails,
// the claim is released so that a retry publishes at once, and the answer
// is ErrUnavailable. If only the record fails, the event is out and the
// answer is success; a retry after the claim lapses would publish once
// more (at least once, never lost).
func (s *Service) publishClaimed(ctx context.Context, rc Receipt, u *upload, i int) (Receipt, error) {
	if err := s.pub.Publish(ctx, s.event(u.keys.eventID(EventSubmitted, u.st.Packages[i].PackageID), EventSubmitted, u.id, u.st.ConversationID, u.st.Packages[i])); err != nil {
		s.settle(ctx, u, i, false)
		return rc, fmt.Errorf("notify: publish: %w", err)
	}
	rc.MarkFailed = !s.settle(ctx, u, i, true)
	return rc, nil
}

// settle records the outcome of a publication this request claimed:
// published, or the claim released. A claim that lapsed and was taken over
// meanwhile is not released: it is the other request's now. It reports
// whether the outcome was recorded; a failure leaves the claim to lapse.
func (s *Service) settle(ctx context.Context, u *upload, i int, published bool) bool {
	packageID, mine := u.st.Packages[i].PackageID, u.st.Packages[i].Claim
	for range writeAttempts {
		if !published && u.st.Packages[i].Claim != mine {
			return true
		}
		u.st.Packages[i].Published = u.st.Packages[i].Published || published
		u.st.Packages[i].Claim, u.st.Packages[i].ClaimedUntil = "", time.Time{}
		err := s.save(ctx, u)
		if err == nil {
			return true
		}
		if !errors.Is(err, ErrConflict) {
			return false
		}
		var rerr error
		if u, i, rerr = s.reload(ctx, u.id, packageID); rerr != nil {
			return false
		}
		if u.st.Packages[i].Published {
			return true
		}
	}
	return false
}

// unmatched publishes a submission that matches no open upload, so nothing
// is lost, and answers ErrNotFound; or ErrUnavailable if publishing failed.
func (s *Service) unmatched(ctx context.Context, rc Receipt, uploadID string, p pkg) (Receipt, error) {
	if err := s.pub.Publish(ctx, s.event(EventID(EventUnmatched, uploadID, p.PackageID), EventUnmatched, uploadID, "", p)); err != nil {
		return rc, fmt.Errorf("notify: publish unmatched: %w", err)
	}
	rc.Outcome = OutcomeUnmatched
	return rc, Errorf(ErrNotFound, "No open upload matches this submission.")
}

// event builds the event of package p of an upload, whose stable id is id.
func (s *Service) event(id, typ, uploadID, conversationID string, p pkg) Event {
	ev := Event{ID: id, Type: typ, Source: p.source(),
		UploadID: uploadID, ConversationID: conversationID, Email: p.Email,
		PackageID: p.PackageID, DropzoneID: p.DropzoneID, SubmittedAt: p.SubmittedAt.Format(time.RFC3339Nano)}
	if s.set.EventsIncludeLink {
		ev.SecureLink = p.Link
	}
	return ev
}
