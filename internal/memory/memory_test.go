package memory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/connector/storetest"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

// TestStoreContract holds the in-memory store to the contract of
// connector.Store that the DynamoDB store keeps.
func TestStoreContract(t *testing.T) { storetest.Contract(t, &memory.Store{}) }

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
