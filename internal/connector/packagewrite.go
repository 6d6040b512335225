package connector

import (
	"context"
	"errors"
	"fmt"
)

// readPackage loads upload id and finds package packageID in it; a nil
// upload (and no error) if either is gone. Errors are prefixed op.
func (s *Service) readPackage(ctx context.Context, op, id, packageID string) (*upload, int, error) {
	u, err := s.load(ctx, id)
	if isNotFound(err) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", op, err)
	}
	i := u.st.find(packageID)
	if i < 0 {
		return nil, 0, nil
	}
	return u, i, nil
}

// changePackage applies f to package packageID of upload id as last
// stored and saves the result, trying again on a conflicting write, at
// most attempts times. f reports whether it changed anything: if not,
// nothing is written. It returns the upload as saved (or read) and the
// package's index; a nil upload if the upload or package is gone. Errors
// are prefixed op.
func (s *Service) changePackage(ctx context.Context, op, id, packageID string, attempts int, f func(p *pkg) bool) (*upload, int, error) {
	for range attempts {
		u, i, err := s.readPackage(ctx, op, id, packageID)
		if err != nil || u == nil {
			return nil, 0, err
		}
		if !f(&u.st.Packages[i]) {
			return u, i, nil
		}
		err = s.save(ctx, u)
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", op, err)
		}
		return u, i, nil
	}
	return nil, 0, fmt.Errorf("%s: %w: too many concurrent writes", op, ErrUnavailable)
}
