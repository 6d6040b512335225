package connector

import (
	"context"
	"errors"
	"fmt"
	"time"
)

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
		s.judge(&p, &u.st)
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
		if p.rejected() {
			rc.Outcome = OutcomeRejected
		}
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
