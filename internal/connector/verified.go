package connector

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Verified mode: SendSafely, read through its REST API with the Dropzone
// owner's Trusted Browser key, is the source of truth for every link.

// confirm checks a notification's link against SendSafely: the package's
// code and its keycode, decrypted with the trusted key, must be the link's
// (compared in constant time), and the package must belong to the upload
// (belongs). It returns the link as SendSafely writes
// it, so that a link found through the API and one a browser posted are
// the same string. A successful read that disagrees is ErrInvalid (nothing
// is stored: a link that does not open the package never reaches an
// agent); anything that keeps SendSafely from confirming is ErrUnavailable.
// It returns the package as SendSafely described it too: its files are the
// manifest.
//
// fetched, when not nil, is the package as SendSafely described it a
// moment ago (fromSendSafely), so that it is not read twice. bound is the
// email the upload is bound to, "" if none (or no upload was found).
func (s *Service) confirm(ctx context.Context, key TrustedKey, sub Submission, lp LinkParts, fetched *Package, bound Email) (Link, Package, error) {
	var p Package
	if fetched != nil {
		p = *fetched
	} else {
		var err error
		if p, err = s.ss.Package(ctx, key, sub.PackageID); err != nil {
			return "", Package{}, fmt.Errorf("verify link: %w", unavailable(err))
		}
	}
	if err := belongs(p, sub, bound); err != nil {
		return "", Package{}, err
	}
	keyCode, err := s.ss.KeyCode(ctx, key, sub.PackageID)
	if err != nil {
		return "", Package{}, fmt.Errorf("verify link: %w", unavailable(err))
	}
	if !secretEqual(p.Code, lp.PackageCode) || !secretEqual(keyCode, lp.KeyCode) {
		return "", Package{}, Errorf(ErrInvalid, "The secureLink does not open the package at SendSafely.")
	}
	return s.dz.Link(s.set.SendSafelyHost, sub.PackageID, p.Code, keyCode), p, nil
}

// fromSendSafely reads a notification whose data is SendSafely's own
// format (authenticated by its digest, but not our JSON object) from the
// package its link names: the upload id is the package's label (the
// Dropzone form input), the email its sender, submittedAt its timestamp.
// It returns the package too, for the link's check.
func (s *Service) fromSendSafely(ctx context.Context, key TrustedKey, link Link) (Submission, *Package, error) {
	lp, err := s.parseLink(link)
	if err != nil {
		return Submission{}, nil, err
	}
	if lp.Thread == "" {
		return Submission{}, nil, Errorf(ErrInvalid, "The secureLink names no package.")
	}
	p, err := s.ss.Package(ctx, key, lp.Thread)
	if err != nil {
		return Submission{}, nil, fmt.Errorf("read package: %w", unavailable(err))
	}
	return Submission{UploadID: strings.TrimSpace(p.Label), Email: p.Sender, PackageID: lp.Thread,
		PackageCode: p.Code, DropzoneID: s.set.DropzoneID, SubmittedAt: s.timestamp(p).Format(time.RFC3339Nano)}, &p, nil
}

// timestamp returns when package p was submitted, or now if SendSafely's
// timestamp could not be read.
func (s *Service) timestamp(p Package) time.Time {
	if p.Timestamp.IsZero() {
		return s.now().UTC()
	}
	return p.Timestamp.UTC()
}

// found is a received package that names an upload.
type found struct {
	id  string // canonical upload id, from the label
	pkg Package
}

// received lists the packages SendSafely has received that name an upload
// by their label and were updated at or after since (or whose time could
// not be read: the label decides then).
func (s *Service) received(ctx context.Context, key TrustedKey, since time.Time) ([]found, error) {
	list, err := s.ss.Received(ctx, key)
	if err != nil {
		return nil, unavailable(err)
	}
	var out []found
	for _, p := range list {
		id, ok := canonicalID(strings.TrimSpace(p.Label))
		if !ok || p.ID == "" || !p.Timestamp.IsZero() && p.Timestamp.Before(since) {
			continue
		}
		out = append(out, found{id: id, pkg: p})
	}
	return out, nil
}

// complete stores and publishes a package found through the API, exactly
// as a verified notification would be: its details and keycode are read,
// the link is built as SendSafely writes it, and accept does the rest with
// source "sendsafely" (an unbound upload binds to the package's sender).
// A package already stored costs no call. It reports whether the package
// is stored, and whether this call stored it.
func (s *Service) complete(ctx context.Context, key TrustedKey, f found) (completion, error) {
	u, err := s.load(ctx, f.id)
	if isNotFound(err) {
		return notStored, nil
	}
	if err != nil {
		return notStored, err
	}
	if u.st.find(f.pkg.ID) >= 0 {
		return storedBefore, nil
	}
	if !s.now().Before(u.st.OpenUntil) {
		return notStored, nil
	}
	p, err := s.ss.Package(ctx, key, f.pkg.ID)
	if err != nil {
		return notStored, unavailable(err)
	}
	keyCode, err := s.ss.KeyCode(ctx, key, f.pkg.ID)
	if err != nil {
		return notStored, unavailable(err)
	}
	if !validKeyCode(string(keyCode)) {
		return notStored, fmt.Errorf("%w: %w: the package's keycode is not in the form of a key code", ErrUnavailable, ErrCorrupt)
	}
	pk := pkg{PackageID: f.pkg.ID, Link: s.dz.Link(s.set.SendSafelyHost, f.pkg.ID, p.Code, keyCode), Email: p.Sender,
		DropzoneID: s.set.DropzoneID, SubmittedAt: s.timestamp(p), Source: SourceSendSafely, listed: listed(p)}
	rc, err := s.accept(ctx, Receipt{UploadID: f.id}, f.id, pk, false, u)
	switch {
	case err == nil && rc.Outcome == OutcomeStored:
		return storedNow, nil
	case err == nil:
		// A webhook or another sweep stored it meanwhile.
		return storedBefore, nil
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict):
		// Bound to another sender, closed meanwhile, full, or stored
		// with another form of the link by a notification: nothing to add.
		return notStored, nil
	default:
		return notStored, err
	}
}

// completion is what complete did with a package.
type completion int

const (
	notStored    completion = iota // not stored: no open upload takes it
	storedBefore                   // stored already, by an earlier call
	storedNow                      // stored and published by this call
)

// lookup completes upload id from SendSafely: the received packages
// updated since it was created whose label is its id. It is called once
// per getLink that would answer Pending, and returns how many of them are
// stored. An error means SendSafely (or the store) could not be asked.
func (s *Service) lookup(ctx context.Context, key TrustedKey, id string, since time.Time) (int, error) {
	list, err := s.received(ctx, key, since)
	if err != nil {
		return 0, err
	}
	var errs []error
	n := 0
	for _, f := range list {
		if f.id != id {
			continue
		}
		c, err := s.complete(ctx, key, f)
		if err != nil {
			errs = append(errs, err)
		}
		if c != notStored {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// SweepReport says what a sweep did, for its log line.
type SweepReport struct {
	// Off reports that verified mode is off: nothing was read.
	Off bool
	// Candidates counts the received packages in the lookback window that
	// name an upload; Stored those this sweep stored (not those stored
	// before it, by a webhook, a lookup or an earlier sweep).
	Candidates, Stored int
	// Skipped are the ids of the candidates whose keycode could not be
	// read (ErrCorrupt): every sweep in the lookback skips them again.
	Skipped []string
}

// Sweep completes every open upload that a package received in the last
// SweepLookback names, as a getLink's lookup does, so that subscribers
// hear of uploads that no browser reported and no chatbot asked about.
// Overlapping sweeps, webhooks and lookups store and publish each package
// once. A package whose keycode cannot be read is skipped and named in
// the report. It returns ErrUnavailable if SendSafely, the keys or the
// store fail; packages it could complete before the failure stay
// completed.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	ks, err := s.keySet(ctx)
	if err != nil {
		return SweepReport{}, err
	}
	if !ks.Trusted.Enabled() {
		return SweepReport{Off: true}, nil
	}
	if s.ss == nil {
		return SweepReport{}, fmt.Errorf("sweep: %w: verified mode is configured in the secret but the connector has no SendSafely client", ErrUnavailable)
	}
	list, err := s.received(ctx, ks.Trusted, s.now().Add(-s.set.SweepLookback))
	if err != nil {
		return SweepReport{}, fmt.Errorf("sweep: %w", err)
	}
	rep := SweepReport{Candidates: len(list)}
	var errs []error
	for _, f := range list {
		c, err := s.complete(ctx, ks.Trusted, f)
		switch {
		case errors.Is(err, ErrCorrupt):
			rep.Skipped = append(rep.Skipped, f.pkg.ID)
		case err != nil:
			errs = append(errs, err)
		}
		if c == storedNow {
			rep.Stored++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("sweep: %w", err)
	}
	return rep, nil
}

// unavailable classifies an error of the SendSafely port: whatever keeps
// SendSafely from confirming is ErrUnavailable.
func unavailable(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: sendsafely: %w", ErrUnavailable, err)
}

// secretEqual compares two secrets in constant time (in their length too).
func secretEqual(a, b Secret) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
