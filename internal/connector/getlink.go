package connector

import (
	"context"
	"fmt"
	"time"
)

// Poll timing for getLink with wait: the first re-read soon, then backing
// off, never more than pollMax apart; the call returns deadlineMargin
// before the function's own deadline so the answer still gets out.
const (
	pollFirst      = 250 * time.Millisecond
	pollMax        = 2 * time.Second
	deadlineMargin = 750 * time.Millisecond
)

// LinkRequest asks for the secure links of an upload.
type LinkRequest struct {
	UploadID string
	Email    Email
	// Wait is how long to hold the call open for a submission (0 to MaxWait).
	Wait time.Duration
}

// LinkResult is the state of an upload: pending, ready with its links, or
// rejected by the file policy.
type LinkResult struct {
	// Ready reports whether at least one package was submitted and not
	// wholly rejected by the file policy.
	Ready bool
	// Rejected reports that packages were submitted but the file policy
	// rejected every file of each: there is no link, and the upload stays
	// open for another try.
	Rejected bool
	// Links are the secure links of the packages not wholly rejected, in
	// the order they were stored; the last is the newest.
	Links []Link
	// SubmittedAt is when the newest of those packages was submitted.
	SubmittedAt time.Time
	// Files is the manifest: every recorded package's files, in the order
	// stored; nil when no package has one (verified mode off), empty when
	// the packages hold no files.
	Files []UploadFile
	// Packages counts the recorded packages that have a manifest.
	Packages int
	// Message is a sentence for the customer when the policy rejected
	// files of the newest package; "" otherwise.
	Message string
}

// GetLink returns the secure links of an upload, waiting up to req.Wait
// for the first one. It returns ErrInvalid for a malformed request,
// ErrNotFound for an unknown or expired upload or a foreign email, and
// ErrUnavailable if the store cannot be reached.
func (s *Service) GetLink(ctx context.Context, req LinkRequest) (LinkResult, error) {
	id, err := checkLinkRequest(req)
	if err != nil {
		return LinkResult{}, err
	}
	return s.waitLinks(ctx, id, req.Wait, func(ctx context.Context) (LinkResult, time.Time, error) {
		return s.readLinks(ctx, id, req.Email)
	})
}

// waitLinks reads upload id with read until it is Ready or wait has
// passed (never past the context's deadline, less a margin to answer in).
// While it is Pending, the upload is looked up at SendSafely once per
// call, not on every step of the wait: it may be in there with no browser
// left to report it. getLink and collect_files wait alike.
func (s *Service) waitLinks(ctx context.Context, id string, wait time.Duration,
	read func(context.Context) (LinkResult, time.Time, error)) (LinkResult, error) {
	ctx, cancel := s.bound(ctx, wait)
	defer cancel()
	deadline := s.now().Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Add(-deadlineMargin).Before(deadline) {
		deadline = d.Add(-deadlineMargin)
	}
	pause, looked := pollFirst, false
	for {
		res, created, err := read(ctx)
		if err != nil || res.Ready {
			return res, err
		}
		if !looked {
			looked = true
			if s.lookupUpload(ctx, id, created) {
				continue
			}
		}
		if res.Rejected {
			// The customer is to be told at once; a later package is
			// looked for on the next call.
			return res, nil
		}
		left := deadline.Sub(s.now())
		if left <= 0 {
			return res, nil
		}
		if err := s.sleep(ctx, min(pause, left)); err != nil {
			// The caller is gone or out of time: the answer is still Pending.
			return res, nil
		}
		pause = min(2*pause, pollMax)
	}
}

func checkLinkRequest(req LinkRequest) (string, error) {
	if req.UploadID == "" {
		return "", Errorf(ErrInvalid, "The field uploadId is required.")
	}
	id, ok := canonicalID(req.UploadID)
	if !ok {
		return "", Errorf(ErrInvalid, "The field uploadId is not an upload id.")
	}
	if req.Email == "" {
		return "", Errorf(ErrInvalid, "The field email is required.")
	}
	if !validEmail(normalEmail(req.Email)) {
		return "", Errorf(ErrInvalid, "The field email is not an email address.")
	}
	if req.Wait < 0 || req.Wait > MaxWait {
		return "", Errorf(ErrInvalid, "The field wait must be a number of seconds from 0 to %d.", int(MaxWait/time.Second))
	}
	return id, nil
}

// readLinks reads the upload once, and returns when it was created.
func (s *Service) readLinks(ctx context.Context, id string, email Email) (LinkResult, time.Time, error) {
	u, err := s.accessUpload(ctx, id, email)
	if err != nil {
		return LinkResult{}, time.Time{}, fmt.Errorf("get link: %w", err)
	}
	return u.links(s.set.Files), s.createdAt(u), nil
}

// accessUpload loads upload id for a caller who names it with email, as
// getLink's access is: ErrNotFound for an unknown or expired upload and
// for one bound to another email, indistinguishably.
func (s *Service) accessUpload(ctx context.Context, id string, email Email) (*upload, error) {
	u, err := s.load(ctx, id)
	if isNotFound(err) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	if u.st.Email != "" && !sameEmail(u.st.Email, email) {
		return nil, notFound()
	}
	return u, nil
}

// links returns what the upload holds: Pending; Ready with the links of
// the packages the policy did not wholly reject, in the order they were
// stored; or Rejected. The manifest comes with either of the last two.
func (u *upload) links(policy FilePolicy) LinkResult {
	if len(u.st.Packages) == 0 {
		return LinkResult{}
	}
	var res LinkResult
	for _, p := range u.st.Packages {
		if p.rejected() {
			continue
		}
		res.Links = append(res.Links, p.Link)
		res.SubmittedAt = p.SubmittedAt
	}
	res.Ready, res.Rejected = len(res.Links) > 0, len(res.Links) == 0
	u.manifest(&res, policy)
	return res
}

// createdAt returns when u was made; records written before that was
// kept stand in with their closing time less the upload TTL.
func (s *Service) createdAt(u *upload) time.Time {
	if u.st.CreatedAt.IsZero() {
		return u.st.OpenUntil.Add(-s.set.UploadTTL)
	}
	return u.st.CreatedAt
}

// lookupBound bounds a getLink's lookup at SendSafely, so that a slow
// SendSafely cannot eat the caller's wait.
const lookupBound = 5 * time.Second

// lookupSkew is how much earlier than the upload's creation a package may
// carry SendSafely's update time and still be considered (clocks differ;
// the label decides anyway).
const lookupSkew = 5 * time.Minute

// lookupUpload looks for upload id at SendSafely in verified mode and
// reports whether it stored something. If SendSafely cannot be asked, the
// caller answers from the table as usual: never ErrUnavailable for that.
func (s *Service) lookupUpload(ctx context.Context, id string, created time.Time) bool {
	if s.ss == nil {
		return false
	}
	ks, err := s.keySet(ctx)
	if err != nil || !ks.Trusted.Enabled() {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, lookupBound)
	defer cancel()
	n, _ := s.lookup(ctx, ks.Trusted, id, created.Add(-lookupSkew))
	return n > 0
}
