// Package bolt keeps the connector's upload records in a bbolt file, so a
// local run survives a restart without any service to talk to. It keeps
// connector.Store's contract exactly as the DynamoDB store does.
package bolt

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// FileName is the database file inside the data folder.
const FileName = "uploads.db"

// lockTimeout is how long Open waits for another process to let go of the
// file; bbolt holds an exclusive lock while open.
const lockTimeout = time.Second

var bucket = []byte("uploads")

// ErrLocked is returned by Open when another process holds the file: bbolt
// allows one process at a time.
var ErrLocked = errors.New("in use by another process")

// Store is a connector.Store in one bbolt file. Writes are serialised by
// bbolt, so the version checks of Create and Replace are atomic.
type Store struct {
	db *bbolt.DB
}

var _ connector.Store = (*Store)(nil)

// Open opens (creating if need be) the store in dir, readable by the
// current user only. It returns ErrLocked if another process has it open.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("bolt: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	}); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close releases the file. Calls after Close return ErrUnavailable.
func (s *Store) Close() error { return s.db.Close() }

// Get returns the record stored under key, expired or not. It returns
// ErrNotFound if there is none and ErrUnavailable if the file cannot be
// read.
func (s *Store) Get(ctx context.Context, key string) (connector.Record, error) {
	var (
		rec   connector.Record
		found bool
	)
	err := s.view(ctx, func(b *bbolt.Bucket) error {
		v := b.Get([]byte(key))
		if v == nil {
			return nil
		}
		found = true
		var err error
		rec, err = decode(key, v)
		return err
	})
	if err != nil {
		return connector.Record{}, fmt.Errorf("bolt: get upload: %w", err)
	}
	if !found {
		return connector.Record{}, fmt.Errorf("bolt: get upload: %w", connector.ErrNotFound)
	}
	return rec, nil
}

// Create stores rec under rec.Key. It returns ErrConflict if a record
// already exists there and ErrUnavailable if the file cannot be written.
func (s *Store) Create(ctx context.Context, rec connector.Record) error {
	err := s.update(ctx, func(b *bbolt.Bucket) error {
		if b.Get([]byte(rec.Key)) != nil {
			return connector.ErrConflict
		}
		return put(b, rec)
	})
	if err != nil {
		return fmt.Errorf("bolt: create upload: %w", err)
	}
	return nil
}

// Replace stores rec in place of the record under rec.Key whose version is
// prev. It returns ErrConflict if the stored version is not prev or there
// is no record, and ErrUnavailable if the file cannot be written.
func (s *Store) Replace(ctx context.Context, rec connector.Record, prev int64) error {
	err := s.update(ctx, func(b *bbolt.Bucket) error {
		v := b.Get([]byte(rec.Key))
		if v == nil {
			return connector.ErrConflict
		}
		old, err := decode(rec.Key, v)
		if err != nil {
			return err
		}
		if old.Version != prev {
			return connector.ErrConflict
		}
		return put(b, rec)
	})
	if err != nil {
		return fmt.Errorf("bolt: replace upload: %w", err)
	}
	return nil
}

// Prune deletes the records that expired at or before now, as DynamoDB's
// TTL does in the background, and returns how many it deleted.
func (s *Store) Prune(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.update(ctx, func(b *bbolt.Bucket) error {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			rec, err := decode(string(k), v)
			if err != nil {
				return err
			}
			if !now.Before(rec.Expires) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bolt: prune: %w", err)
	}
	return n, nil
}

// view runs fn in a read transaction; see classify for its errors.
func (s *Store) view(ctx context.Context, fn func(*bbolt.Bucket) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", connector.ErrUnavailable, err)
	}
	return classify(s.db.View(func(tx *bbolt.Tx) error { return fn(tx.Bucket(bucket)) }))
}

// update runs fn in a write transaction, committed if fn returns nil.
func (s *Store) update(ctx context.Context, fn func(*bbolt.Bucket) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", connector.ErrUnavailable, err)
	}
	return classify(s.db.Update(func(tx *bbolt.Tx) error { return fn(tx.Bucket(bucket)) }))
}

// classify leaves the domain's kinds and a malformed record (a bug or a
// damaged file, which a retry cannot mend) as they are, and makes any other
// failure of bbolt (a closed database, a disk error) ErrUnavailable.
func classify(err error) error {
	var bad *malformedError
	switch {
	case err == nil, errors.Is(err, connector.ErrConflict), errors.As(err, &bad):
		return err
	default:
		return fmt.Errorf("%w: %w", connector.ErrUnavailable, err)
	}
}
