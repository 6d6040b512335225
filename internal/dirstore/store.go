// Package dirstore keeps retrieved files in a directory: a
// connector.ObjectStore on the file system, the local default of `make
// run`. Keys are slash paths below the directory; a write in progress
// lives under its hidden .writes/ directory, one file per part, and an
// object appears under its key only whole, by a rename. Metadata and
// content type live in a JSON sidecar beside the object.
//
// Every access goes through an os.Root, so no key, symbolic link or
// race can reach outside the directory; keys are checked too.
package dirstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Presigner returns a URL that serves the object under key with a plain
// GET for ttl: the dev server's sealed-token URLs.
type Presigner func(key string, ttl time.Duration) (string, error)

// Store is a connector.ObjectStore on one directory.
type Store struct {
	dir     string
	root    *os.Root
	presign Presigner
}

var _ connector.ObjectStore = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithPresigner makes Presign answer with p's URLs. Without it, Presign
// returns ErrUnavailable: a directory cannot serve itself.
func WithPresigner(p Presigner) Option { return func(s *Store) { s.presign = p } }

// Permissions of what the Store creates: the files are other people's
// documents.
const (
	dirMode  = 0o700
	fileMode = 0o600
)

// New returns a Store on dir, creating it if missing. The caller closes
// it.
func New(dir string, opts ...Option) (*Store, error) {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("dirstore: create directory: %w", pathless(err))
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("dirstore: open directory: %w", pathless(err))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	s := &Store{dir: abs, root: root}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Close releases the directory.
func (s *Store) Close() error { return s.root.Close() }

// Location names key as its path on the file system.
func (s *Store) Location(key string) string { return filepath.Join(s.dir, filepath.FromSlash(key)) }

// Presign returns the Presigner's URL for key. It returns ErrUnavailable
// if the Store has no Presigner.
func (s *Store) Presign(_ context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkKey(key); err != nil {
		return "", fmt.Errorf("dirstore: presign: %w", err)
	}
	if s.presign == nil {
		return "", fmt.Errorf("dirstore: presign: %w: no server to serve the directory's files", connector.ErrUnavailable)
	}
	u, err := s.presign(key, ttl)
	if err != nil {
		return "", fmt.Errorf("dirstore: presign: %w", err)
	}
	return u, nil
}

// randomID returns 32 hex digits from crypto/rand.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// isHex32 reports whether id is 32 lowercase hex digits, as randomID
// returns and as ETags are: the only ids that name files.
func isHex32(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// fsError classifies an error of the file system for op: a missing file is
// ErrNotFound, anything else (permissions, a full disk) ErrUnavailable.
// The path leaves the text: it holds a file name.
func fsError(op string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dirstore: %s: %w", op, connector.ErrNotFound)
	}
	return fmt.Errorf("dirstore: %s: %w: %w", op, connector.ErrUnavailable, pathless(err))
}

// pathless returns err without the path a *fs.PathError or *os.LinkError
// names, keeping what went wrong.
func pathless(err error) error {
	var (
		pe *fs.PathError
		le *os.LinkError
	)
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	case errors.As(err, &le):
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}
