package connector

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
)

// Authorize checks the credentials a chatbot or agent presented. It returns
// nil if no API token is configured or any of creds equals it, ErrUnauthorized
// otherwise, and ErrUnavailable if the token cannot be read (then it cannot
// be checked either).
func (s *Service) Authorize(ctx context.Context, creds ...Secret) error {
	ctx, cancel := s.bound(ctx, 0)
	defer cancel()
	ks, err := s.keySet(ctx)
	if err != nil {
		return err
	}
	if ks.APIToken == "" {
		return nil
	}
	want := sha256.Sum256([]byte(ks.APIToken))
	ok := 0
	for _, c := range creds {
		got := sha256.Sum256([]byte(c))
		// Hashing first makes the compare constant-time in the length too.
		ok |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	if ok == 1 {
		return nil
	}
	return Errorf(ErrUnauthorized, "A valid API token is required.")
}
