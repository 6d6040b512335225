package connector

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// publishClaimed publishes the event of stored package i, whose claim this
// request holds, then records that it was published. If publishing fails,
// the claim is released so that a retry publishes at once, and the answer
// is ErrUnavailable. If only the record fails, the event is out and the
// answer is success; a retry after the claim lapses would publish once
// more (at least once, never lost).
func (s *Service) publishClaimed(ctx context.Context, rc Receipt, u *upload, i int) (Receipt, error) {
	typ := u.st.Packages[i].eventType()
	if err := s.pub.Publish(ctx, s.event(u.keys.eventID(typ, u.st.Packages[i].PackageID), typ, u.id, u.st.ConversationID, u.st.Packages[i])); err != nil {
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
		PackageID: p.PackageID, DropzoneID: p.DropzoneID, SubmittedAt: FormatTime(p.SubmittedAt)}
	if s.set.EventsIncludeLink && typ != EventRejected {
		ev.SecureLink = p.Link
	}
	withFiles(&ev, p, s.set.EventsIncludeFileNames)
	return ev
}
