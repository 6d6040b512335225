package connector

import (
	"context"
	"fmt"
)

// SetFiles gives stored package packageID of upload uploadID the manifest
// files, as confirming it in verified mode does (the manifest's work,
// which tests of retrieval take as given).
func SetFiles(ctx context.Context, s *Service, uploadID, packageID string, files []File) error {
	u, err := s.load(ctx, uploadID)
	if err != nil {
		return err
	}
	i := u.st.find(packageID)
	if i < 0 {
		return fmt.Errorf("no package %s: %w", packageID, ErrNotFound)
	}
	u.st.Packages[i].Files = files
	return s.save(ctx, u)
}

// FilesOf returns the manifest of stored package packageID of upload
// uploadID, with what became of each file.
func FilesOf(ctx context.Context, s *Service, uploadID, packageID string) ([]File, error) {
	u, err := s.load(ctx, uploadID)
	if err != nil {
		return nil, err
	}
	i := u.st.find(packageID)
	if i < 0 {
		return nil, fmt.Errorf("no package %s: %w", packageID, ErrNotFound)
	}
	return u.st.Packages[i].Files, nil
}
