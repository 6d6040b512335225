// Package storetest holds a connector.Store implementation to the contract
// documented on the interface, with one sequence of steps every store runs.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Contract runs the contract's steps on s, which must be empty: get and
// replace of a missing record, create and create again, replace at a stale
// and at the current version, a read of what was written (expired records
// included: expiry is the service's business), and a check that callers
// cannot change what is stored through the slices they hold.
func Contract(t *testing.T, s connector.Store) {
	t.Helper()
	ctx := context.Background()
	rec := connector.Record{Key: "k", Version: 1, Expires: time.Unix(100, 0), Sealed: []byte("v1")}
	steps := []struct {
		name string
		do   func() error
		want error
	}{
		{"get missing", func() error { _, err := s.Get(ctx, "k"); return err }, connector.ErrNotFound},
		{"replace missing", func() error { return s.Replace(ctx, rec, 0) }, connector.ErrConflict},
		{"create", func() error { return s.Create(ctx, rec) }, nil},
		{"create again", func() error { return s.Create(ctx, rec) }, connector.ErrConflict},
		// The record carries sealed bytes, as every record the service
		// writes does: moto_server fails with a 500 on an empty binary
		// attribute, which DynamoDB itself accepts.
		{"replace stale version", func() error {
			return s.Replace(ctx, connector.Record{Key: "k", Version: 3, Expires: time.Unix(300, 0), Sealed: []byte("v3")}, 2)
		}, connector.ErrConflict},
		{"replace current version", func() error {
			return s.Replace(ctx, connector.Record{Key: "k", Version: 2, Expires: time.Unix(200, 0), Sealed: []byte("v2")}, 1)
		}, nil},
		{"get current", func() error {
			got, err := s.Get(ctx, "k")
			if err == nil && (got.Key != "k" || got.Version != 2 || string(got.Sealed) != "v2" || !got.Expires.Equal(time.Unix(200, 0))) {
				return errors.New("stale read")
			}
			return err
		}, nil},
		{"get expired record", func() error { _, err := s.Get(ctx, "k"); return err }, nil},
	}
	for _, st := range steps {
		if err := st.do(); st.want == nil && err != nil || st.want != nil && !errors.Is(err, st.want) {
			t.Fatalf("%s: got %v, want %v", st.name, err, st.want)
		}
	}
	got, _ := s.Get(ctx, "k")
	got.Sealed[0] = 'X'
	if again, _ := s.Get(ctx, "k"); string(again.Sealed) != "v2" {
		t.Error("stored bytes share memory with the caller")
	}
}
