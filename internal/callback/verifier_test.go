package callback_test

import (
	"errors"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// verifierDir holds the receiver that checks deliveries with the Standard
// Webhooks reference library; `make callback-verifier` (part of `make
// test`) installs its node_modules with npm ci.
const verifierDir = "testdata/verifier"

// needVerifier returns the node binary, or skips t (fails it under
// CI=true, where this independent check of the signatures must run) when
// node or the reference library is missing.
func needVerifier(t *testing.T) string {
	t.Helper()
	return nodetest.Need(t, verifierDir, "callback-verifier", "standardwebhooks")
}

// verifierLine is what the verifier prints for each request.
type verifierLine struct {
	Listening   string
	Verified    bool
	Error       string
	Method      string
	ContentType string
	ID          string
	Timestamp   string
	Payload     connector.Event
}

// TestReferenceVerifier delivers events with our client to a receiver that
// checks them with the npm standardwebhooks package, the reference
// implementation nobody here wrote: every delivery must verify (signature,
// id, timestamp within its tolerance of now), a retry after a 500 keeps
// its webhook-id, and a delivery signed with another secret is rejected.
func TestReferenceVerifier(t *testing.T) {
	node := needVerifier(t)
	secret, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	read := startNodeReceiver(t, node, "verifier.mjs", secret, "500,200")
	next := func() verifierLine {
		t.Helper()
		var l verifierLine
		read(&l)
		return l
	}
	url := next().Listening
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("verifier listens at %q", url)
	}

	// Real time: the library checks the timestamp against its own clock.
	c, err := callback.New(url, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	ev := submitted
	ev.ID = connector.EventID(ev.Type, ev.UploadID, ev.PackageID)
	// Characters JSON escapes or carries as multi-byte UTF-8: the library
	// must see the very bytes that were signed.
	ev.ConversationID = "Gespräch <42> & «mañana»"
	ev.Email = "customer+files@example.com"

	if err := c.Send(t.Context(), ev, secret); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("first attempt (answered 500): got %v, want ErrUnavailable", err)
	}
	first := next()
	if err := c.Send(t.Context(), ev, secret); err != nil {
		t.Errorf("second attempt (answered 200): got %v, want delivered", err)
	}
	second := next()
	for i, l := range []verifierLine{first, second} {
		if !l.Verified {
			t.Fatalf("attempt %d: the reference library rejected it: %s", i+1, l.Error)
		}
		if l.Method != "POST" || l.ContentType != "application/json" || l.ID != ev.ID {
			t.Errorf("attempt %d: got %s %q webhook-id %q, want POST application/json %q", i+1, l.Method, l.ContentType, l.ID, ev.ID)
		}
		if diff := cmp.Diff(ev, l.Payload); diff != "" {
			t.Errorf("attempt %d: payload (-want +got):\n%s", i+1, diff)
		}
		if ts, err := strconv.ParseInt(l.Timestamp, 10, 64); err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
			t.Errorf("attempt %d: got webhook-timestamp %q, want the unix seconds of now", i+1, l.Timestamp)
		}
	}

	other, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(t.Context(), ev, other); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("signed with another secret: got %v, want ErrUnavailable (the receiver's 401)", err)
	}
	if l := next(); l.Verified {
		t.Errorf("signed with another secret: the reference library accepted it")
	}
}
