package connector_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
)

// TestNotifyConcurrentPackages: notifications for one upload racing each
// other are all stored, each published once, up to the 20-package limit.
func TestNotifyConcurrentPackages(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	const n = connector.MaxPackages
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		notice := sign(t, e.payload(id, fmt.Sprintf("P%d", i)), testKey)
		wg.Go(func() { _, errs[i] = e.svc.Notify(context.Background(), notice) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("notification %d: %v", i, err)
		}
	}
	if got := len(links(t, e, id, testEmail).Links); got != n {
		t.Errorf("links: got %d, want %d", got, n)
	}
	if got := len(e.pub.Events()); got != n {
		t.Errorf("events: got %d, want %d", got, n)
	}
}

// failingReplace lets the first Replace through and fails the rest.
type failingReplace struct {
	connector.Store
	mu       sync.Mutex
	replaces int
}

func (s *failingReplace) Replace(ctx context.Context, rec connector.Record, prev int64) error {
	s.mu.Lock()
	s.replaces++
	n := s.replaces
	s.mu.Unlock()
	if n > 1 {
		return errDown
	}
	return s.Store.Replace(ctx, rec, prev)
}

// TestNotifyMarkFails: stored and published, but the store fails before it
// records the publication. The answer is success (the event is out) and
// the receipt says a retry would publish again.
func TestNotifyMarkFails(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	svc, err := connector.New(e.set, connector.Deps{Store: &failingReplace{Store: e.store}, Publisher: e.pub,
		Keys: e.keys, Dropzone: dropzone.Codec{}, NewID: e.newID, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := svc.Notify(context.Background(), sign(t, e.payload(id, "P1"), testKey))
	if err != nil || !rc.MarkFailed || rc.Outcome != connector.OutcomeStored {
		t.Fatalf("got %+v, %v; want stored with MarkFailed", rc, err)
	}
	if got := len(e.pub.Events()); got != 1 {
		t.Errorf("events: got %d, want 1", got)
	}
}

// TestSecretsPrintRedacted: the types that hold secrets cannot leak
// through fmt or slog.
func TestSecretsPrintRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	vals := []any{connector.Secret("key-material"), connector.Email("who@example.com"), connector.Link("https://h/receive/#keyCode=abc"),
		connector.KeySet{ValidationKey: "key-material", APIToken: "key-material"},
		connector.Event{Email: "who@example.com", SecureLink: "https://h/receive/#keyCode=abc"}}
	for _, v := range vals {
		log.Info("x", "v", v)
		buf.WriteString(fmt.Sprintf("%v %+v %#v %s\n", v, v, v, v))
	}
	for _, leak := range []string{"key-material", "who@example.com", "keyCode=abc"} {
		if strings.Contains(buf.String(), leak) {
			t.Errorf("%q leaked:\n%s", leak, buf.String())
		}
	}
}
