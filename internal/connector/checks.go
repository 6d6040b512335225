package connector

import (
	"time"
)

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
