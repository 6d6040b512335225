package connector

import (
	"context"
	"fmt"
	"strings"
)

// acceptVerified runs the rest of a notification in verified mode: the
// store is read first, so that a repeat of a stored notification (the
// same package with the very link stored, which SendSafely confirmed when
// it was stored) costs no call to SendSafely; anything new is confirmed
// there (confirm) before checks 5 and 6. id is the canonical upload id
// when ok; p is the package as the notification describes it.
func (s *Service) acceptVerified(ctx context.Context, rc Receipt, key TrustedKey, a signed, lp LinkParts, id string, ok bool, p pkg) (Receipt, error) {
	var u *upload
	if ok {
		loaded, err := s.load(ctx, id)
		switch {
		case err == nil:
			u = loaded
		case !isNotFound(err):
			return rc, fmt.Errorf("notify: %w", err)
		}
	}
	var bound Email
	if u != nil {
		if i := u.st.find(p.PackageID); i >= 0 && u.st.Packages[i].Link == p.Link {
			return s.accept(ctx, rc, id, p, true, u)
		}
		bound = u.st.Email
	}
	link, confirmed, err := s.confirm(ctx, key, a.sub, lp, a.fetched, bound)
	if err != nil {
		return rc, err
	}
	p.Link, p.listed = link, listed(confirmed)
	if !ok {
		return s.unmatched(ctx, rc, a.sub.UploadID, p)
	}
	// u was read before SendSafely was asked: if it changed meanwhile,
	// accept's write fails and it reads u again.
	return s.accept(ctx, rc, id, p, true, u)
}

// belongs checks that package p, as SendSafely describes it, belongs to the
// upload a notification names: its label (the Dropzone form input) is the
// upload id, and its sender is the notification's email and the upload's
// bound email, if it has one (compared as emails are everywhere). The
// lookups and the sweep take these fields as the truth, so a notification
// that disagrees with them is ErrInvalid: stored, it would put one package
// in two uploads, or in an upload bound to someone else.
func belongs(p Package, sub Submission, bound Email) error {
	if !sameUpload(p.Label, sub.UploadID) {
		return Errorf(ErrInvalid, "The package at SendSafely belongs to another upload.")
	}
	if strings.TrimSpace(string(p.Sender)) == "" {
		// Not a disagreement SendSafely vouched for.
		return fmt.Errorf("verify link: %w: SendSafely did not say who sent the package", ErrUnavailable)
	}
	if !sameEmail(p.Sender, sub.Email) || bound != "" && !sameEmail(p.Sender, bound) {
		return Errorf(ErrInvalid, "The package at SendSafely was sent from another email address.")
	}
	return nil
}

// sameUpload reports whether a package label names upload id: both as
// canonical upload ids, or, when either is no upload id, as the same text
// less surrounding white space.
func sameUpload(label, id string) bool {
	label, id = strings.TrimSpace(label), strings.TrimSpace(id)
	l, lok := canonicalID(label)
	i, iok := canonicalID(id)
	if lok && iok {
		return l == i
	}
	return label == id
}
