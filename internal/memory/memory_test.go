package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

// TestStoreContract holds the in-memory store to the contract of
// connector.Store that the DynamoDB store keeps.
func TestStoreContract(t *testing.T) {
	ctx := context.Background()
	s := &memory.Store{}
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
		{"replace stale version", func() error { return s.Replace(ctx, connector.Record{Key: "k", Version: 3}, 2) }, connector.ErrConflict},
		{"replace current version", func() error {
			return s.Replace(ctx, connector.Record{Key: "k", Version: 2, Sealed: []byte("v2")}, 1)
		}, nil},
		{"get current", func() error {
			got, err := s.Get(ctx, "k")
			if err == nil && (got.Version != 2 || string(got.Sealed) != "v2") {
				return errors.New("stale read")
			}
			return err
		}, nil},
	}
	for _, st := range steps {
		if err := st.do(); st.want == nil && err != nil || st.want != nil && !errors.Is(err, st.want) {
			t.Fatalf("%s: got %v, want %v", st.name, err, st.want)
		}
	}
	// Callers cannot change what is stored through the slices they hold.
	got, _ := s.Get(ctx, "k")
	got.Sealed[0] = 'X'
	if again, _ := s.Get(ctx, "k"); string(again.Sealed) != "v2" {
		t.Error("stored bytes share memory with the caller")
	}
}

func TestDown(t *testing.T) {
	down := errors.New("down")
	s := &memory.Store{Err: down}
	p := &memory.Publisher{Err: down}
	k := memory.NewKeys(connector.KeySet{})
	k.Fail(down)
	ctx := context.Background()
	if _, err := s.Get(ctx, "k"); err != down {
		t.Errorf("store: %v", err)
	}
	if err := p.Publish(ctx, connector.Event{Type: "x"}); err != down || len(p.Events()) != 0 {
		t.Errorf("publisher: %v, %d kept", err, len(p.Events()))
	}
	if _, err := k.Keys(ctx); err != down {
		t.Errorf("keys: %v", err)
	}
}
