package bolt_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/connector/storetest"
)

func open(t *testing.T, dir string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestStoreContract holds the bolt store to the contract of connector.Store.
func TestStoreContract(t *testing.T) { storetest.Contract(t, open(t, t.TempDir())) }

func TestSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", ".data")
	s, err := bolt.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := connector.Record{Key: "k", Version: 7, Expires: time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC), Sealed: []byte{0, 1, 2, 255}}
	if err := s.Create(ctx, want); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	got, err := s.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if got.Key != want.Key || got.Version != want.Version || !got.Expires.Equal(want.Expires) || string(got.Sealed) != string(want.Sealed) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	fi, err := os.Stat(filepath.Join(dir, bolt.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}
}

func TestPrune(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	s := open(t, t.TempDir())
	for _, r := range []struct {
		key     string
		expires time.Time
	}{{"past", now.Add(-time.Second)}, {"now", now}, {"future", now.Add(time.Second)}} {
		if err := s.Create(ctx, connector.Record{Key: r.key, Version: 1, Expires: r.expires}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Prune(ctx, now)
	if err != nil || n != 2 {
		t.Fatalf("Prune: got %d, %v; want 2, nil", n, err)
	}
	for _, tt := range []struct {
		key  string
		want error
	}{{"past", connector.ErrNotFound}, {"now", connector.ErrNotFound}, {"future", nil}} {
		if _, err := s.Get(ctx, tt.key); tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Get %s after Prune: got %v, want %v", tt.key, err, tt.want)
		}
	}
}

// TestUnavailable: a store that cannot do its work says so with
// ErrUnavailable, the kind that invites a retry.
func TestUnavailable(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	rec := connector.Record{Key: "k", Version: 1}
	for _, tt := range []struct {
		name  string
		ctx   context.Context
		close bool
	}{
		{"closed", context.Background(), true},
		{"context canceled", canceled, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, t.TempDir())
			if tt.close {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			for name, err := range map[string]error{
				"get":     func() error { _, err := s.Get(tt.ctx, "k"); return err }(),
				"create":  s.Create(tt.ctx, rec),
				"replace": s.Replace(tt.ctx, rec, 0),
			} {
				if !errors.Is(err, connector.ErrUnavailable) {
					t.Errorf("%s: got %v, want ErrUnavailable", name, err)
				}
			}
		})
	}
}

// TestOpenRefusesASecondUser: bbolt locks the file; a second process on the
// same folder is told so at once instead of hanging.
func TestOpenRefusesASecondUser(t *testing.T) {
	dir := t.TempDir()
	open(t, dir)
	start := time.Now()
	s, err := bolt.Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("second Open of the same folder succeeded")
	}
	if !errors.Is(err, bolt.ErrLocked) || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("got %v, want it to say the file is in use", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("second Open took %v", time.Since(start))
	}
}

// TestMalformedRecord: a value that does not decode is a damaged file or a
// bug; no retry mends it, so it is not ErrUnavailable (and not a miss).
func TestMalformedRecord(t *testing.T) {
	dir := t.TempDir()
	db, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("uploads"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("not json"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	ctx := context.Background()
	for name, err := range map[string]error{
		"get":     func() error { _, err := s.Get(ctx, "k"); return err }(),
		"replace": s.Replace(ctx, connector.Record{Key: "k", Version: 2}, 1),
		"prune":   func() error { _, err := s.Prune(ctx, time.Now()); return err }(),
	} {
		if err == nil || errors.Is(err, connector.ErrUnavailable) || errors.Is(err, connector.ErrNotFound) || errors.Is(err, connector.ErrConflict) {
			t.Errorf("%s: got %v, want an error of no kind", name, err)
		}
	}
}
