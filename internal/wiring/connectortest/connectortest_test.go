package connectortest_test

import (
	"context"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// TestFixtures: the environment hands out the fixture id first, and a
// notification Sign builds for its upload is accepted.
func TestFixtures(t *testing.T) {
	e := connectortest.New(t, connectortest.Fixtures()...)
	id := e.Generate(t, connectortest.FixtureEmail)
	if id != connectortest.FixtureID {
		t.Fatalf("got id %q, want %q", id, connectortest.FixtureID)
	}
	if again := e.Generate(t, connectortest.FixtureEmail); again == connectortest.FixtureID {
		t.Errorf("second id is the fixture id again")
	}
	n := connectortest.Sign(t, e.Payload(id, "PKG-1"), connectortest.FixtureKey)
	if _, err := e.Svc.Notify(context.Background(), n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	if got := len(e.Published().Events()); got != 1 {
		t.Errorf("got %d events, want 1", got)
	}
}

// TestSequentialIDs: ids are predictable, one after the other.
func TestSequentialIDs(t *testing.T) {
	ids := connectortest.SequentialIDs()
	for _, want := range []string{"00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"} {
		if got, _ := ids(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
