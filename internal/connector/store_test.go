package connector_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

var errDown = fmt.Errorf("%w: test: dependency down", connector.ErrUnavailable)

func notify(t *testing.T, e *env, n connector.Notice) (connector.Receipt, error) {
	t.Helper()
	return e.svc.Notify(context.Background(), n)
}

func links(t *testing.T, e *env, id string, email connector.Email) connector.LinkResult {
	t.Helper()
	res, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: email})
	if err != nil {
		t.Fatalf("GetLink: %v", err)
	}
	return res
}

func TestNotifyRepeatIsIdempotent(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	n := sign(t, e.payload(id, "P1"), testKey)
	for i, want := range []string{connector.OutcomeStored, connector.OutcomeRepeat, connector.OutcomeRepeat} {
		rc, err := notify(t, e, n)
		if err != nil || rc.Outcome != want {
			t.Fatalf("delivery %d: got %q, %v; want %q, nil", i+1, rc.Outcome, err, want)
		}
	}
	if got := len(e.pub.Events()); got != 1 {
		t.Errorf("events published: got %d, want 1", got)
	}
	if got := links(t, e, id, testEmail).Links; len(got) != 1 {
		t.Errorf("links stored: got %d, want 1", len(got))
	}
}

func TestNotifyOtherLinkForStoredPackageConflicts(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	n := sign(t, e.payload(id, "P1"), testKey)
	if _, err := notify(t, e, n); err != nil {
		t.Fatal(err)
	}
	// Same package, a link that differs only in the spelling of keyCode:
	// links compare exactly, so this is another link.
	other := n
	other.SecureLink = connector.Link(strings.Replace(string(n.SecureLink), "keyCode", "keycode", 1))
	if _, err := notify(t, e, other); !errors.Is(err, connector.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	if got := links(t, e, id, testEmail).Links; len(got) != 1 || got[0] != n.SecureLink {
		t.Errorf("stored link changed: got %d links", len(got))
	}
	if got := len(e.pub.Events()); got != 1 {
		t.Errorf("events: got %d, want 1", got)
	}
}

func TestNotifyKeepsAtMost20Packages(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	var want []connector.Link
	for i := 1; i <= connector.MaxPackages; i++ {
		n := sign(t, e.payload(id, fmt.Sprintf("P%02d", i)), testKey)
		if _, err := notify(t, e, n); err != nil {
			t.Fatalf("package %d: %v", i, err)
		}
		want = append(want, n.SecureLink)
	}
	if _, err := notify(t, e, sign(t, e.payload(id, "P21"), testKey)); !errors.Is(err, connector.ErrConflict) {
		t.Fatalf("21st package: got %v, want ErrConflict", err)
	}
	res := links(t, e, id, testEmail)
	if diff := cmp.Diff(want, res.Links); diff != "" {
		t.Errorf("links in stored order (-want +got):\n%s", diff)
	}
	if got := len(e.pub.Events()); got != connector.MaxPackages {
		t.Errorf("events: got %d, want %d", got, connector.MaxPackages)
	}
}

func TestNotifyTopicDownThenRetryPublishesOnce(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	// The customer submits near the end of the upload's window...
	e.clock.Advance(23*time.Hour + 30*time.Minute)
	n := sign(t, e.payload(id, "P1"), testKey)
	e.pub.Err = errDown
	if _, err := notify(t, e, n); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("topic down: got %v, want ErrUnavailable", err)
	}
	// Stored even though the event did not go out: getLink sees it.
	if res := links(t, e, id, testEmail); !res.Ready {
		t.Fatal("submission not stored while the topic was down")
	}
	// ...and the same request is retried after the upload closed, within
	// WEBHOOK_MAX_AGE of its submittedAt.
	e.pub.Err = nil
	e.clock.Advance(40 * time.Minute)
	rc, err := notify(t, e, n)
	if err != nil || rc.Outcome != connector.OutcomeRepublish {
		t.Fatalf("retry: got %q, %v; want republish", rc.Outcome, err)
	}
	if rc, err := notify(t, e, n); err != nil || rc.Outcome != connector.OutcomeRepeat {
		t.Fatalf("second retry: got %q, %v; want repeat", rc.Outcome, err)
	}
	if got := len(e.pub.Events()); got != 1 {
		t.Errorf("events: got %d, want exactly 1", got)
	}
}

func TestNotifyStoreDown(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	e.store.Err = errDown
	if _, err := notify(t, e, sign(t, e.payload(id, "P1"), testKey)); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if got := len(e.pub.Events()); got != 0 {
		t.Errorf("published %d events with nothing stored", got)
	}
	e.store.Err = nil
	if rc, err := notify(t, e, sign(t, e.payload(id, "P1"), testKey)); err != nil || rc.Outcome != connector.OutcomeStored {
		t.Fatalf("retry: got %q, %v", rc.Outcome, err)
	}
}

func TestNotifyUnmatchedTopicDown(t *testing.T) {
	e := newEnv(t)
	e.pub.Err = errDown
	p := e.payload("00000000-0000-4000-8000-999999999999", "P1")
	if _, err := notify(t, e, sign(t, p, testKey)); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable: an unmatched submission must not be dropped", err)
	}
}

func TestNotifyBindsUnboundUpload(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, "")
	if res := links(t, e, id, "anyone@example.com"); res.Ready {
		t.Fatal("ready before any submission")
	}
	if _, err := notify(t, e, sign(t, e.payload(id, "P1"), testKey)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: "anyone@example.com"}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("other email after binding: got %v, want ErrNotFound", err)
	}
	if res := links(t, e, id, "customer@example.COM"); !res.Ready {
		t.Error("bound email does not get the link")
	}
	p := e.payload(id, "P2")
	p.Email = "intruder@example.com"
	if _, err := notify(t, e, sign(t, p, testKey)); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("submission from another email: got %v, want ErrNotFound", err)
	}
}

func TestNotifyEventContents(t *testing.T) {
	for _, include := range []bool{false, true} {
		t.Run(fmt.Sprintf("include link %v", include), func(t *testing.T) {
			e := newEnv(t, func(s *connector.Settings) { s.EventsIncludeLink = include })
			id := e.generate(t, testEmail)
			p := e.payload(id, "P1")
			n := sign(t, p, testKey)
			if _, err := notify(t, e, n); err != nil {
				t.Fatal(err)
			}
			want := connector.Event{ID: connector.EventID(connector.EventSubmitted, id, "P1"),
				Type: connector.EventSubmitted, Source: connector.SourceWebhook, UploadID: id, ConversationID: "conv-1",
				Email: testEmail, PackageID: "P1", DropzoneID: testDZ, SubmittedAt: p.SubmittedAt}
			if include {
				want.SecureLink = n.SecureLink
			}
			if diff := cmp.Diff([]connector.Event{want}, e.pub.Events()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRecordsHoldNothingInTheClear checks the storage promise: a copy of
// the store reveals no upload id, email, link or package code.
func TestRecordsHoldNothingInTheClear(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	p := e.payload(id, "P1")
	n := sign(t, p, testKey)
	if _, err := notify(t, e, n); err != nil {
		t.Fatal(err)
	}
	recs := e.store.Records()
	if len(recs) != 1 {
		t.Fatalf("records: got %d, want 1", len(recs))
	}
	r := recs[0]
	dump := append([]byte(r.Key), r.Sealed...)
	for _, secret := range []string{id, strings.ToLower(testEmail), testEmail, string(n.SecureLink), testLinkKey, p.PackageCode, "conv-1"} {
		if bytes.Contains(bytes.ToLower(dump), bytes.ToLower([]byte(secret))) {
			t.Errorf("record holds %q in the clear", secret)
		}
	}
	if strings.Contains(r.Key, strings.ReplaceAll(id, "-", "")) {
		t.Error("record key contains the upload id")
	}
	if !r.Expires.Equal(t0.Add(168 * time.Hour)) {
		t.Errorf("expires: got %v, want submission time + LINK_TTL", r.Expires)
	}
}

// TestTamperedRecordIsNotServed: a sealed blob moved to another row, or
// changed, does not open; the answer is an internal error, never a link.
func TestTamperedRecordIsNotServed(t *testing.T) {
	e := newEnv(t)
	a := e.generate(t, testEmail)
	b := e.generate(t, testEmail)
	if _, err := notify(t, e, sign(t, e.payload(a, "P1"), testKey)); err != nil {
		t.Fatal(err)
	}
	var ra, rb connector.Record
	for _, r := range e.store.Records() {
		if r.Version > 1 {
			ra = r
		} else {
			rb = r
		}
	}
	moved := rb
	moved.Sealed, moved.Version = ra.Sealed, rb.Version+1
	if err := e.store.Replace(context.Background(), moved, rb.Version); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: b, Email: testEmail})
	if err == nil {
		t.Fatal("a blob moved from another upload was opened")
	}
	for _, kind := range []error{connector.ErrInvalid, connector.ErrNotFound, connector.ErrUnavailable} {
		if errors.Is(err, kind) {
			t.Errorf("got %v, want an unclassified (500) error", err)
		}
	}
}
