package connector

import "context"

// filesReady hands the files fileIDs of package packageID of upload
// uploadID, which have just become Ready (stored and, with scanning on,
// found clean), to what takes ready files: the file callback. It may be
// called again for a file it was called for (a verdict delivered twice):
// it must then do nothing new. It returns ErrUnavailable if what it hands
// them to failed; the caller is tried again.
//
// In this branch nothing takes ready files yet: the file callback
// (FILE_CALLBACK_URL) defines it, with this signature.
func (s *Service) filesReady(ctx context.Context, uploadID, packageID string, fileIDs []string) error {
	return nil
}
