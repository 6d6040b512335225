package callback_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
)

const testSecret connector.Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

var submitted = connector.Event{
	ID: "evt_0123456789abcdef0123456789abcdef", Type: connector.EventSubmitted, Source: connector.SourceWebhook,
	UploadID: "00000000-0000-4000-8000-000000000001", ConversationID: "conv-1", Email: "customer@example.com",
	PackageID: "PKG-1", DropzoneID: "DZ-1", SubmittedAt: "2026-11-21T07:59:00Z",
	SecureLink: "https://acme.sendsafely.com/receive/?thread=PKG-1&packageCode=c#keyCode=k",
}

// delivery is one request as the receiver got it.
type delivery struct {
	Method, ContentType, ID, Timestamp, Signature string
	Body                                          []byte
}

// receiver is a callback receiver of ours: it records every request and
// answers with the next status of its script (the last one repeats).
type receiver struct {
	mu     sync.Mutex
	got    []delivery
	status []int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, delivery{Method: r.Method, ContentType: r.Header.Get("Content-Type"),
		ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
		Signature: r.Header.Get("webhook-signature"), Body: body})
	code := rc.status[min(len(rc.got), len(rc.status))-1]
	rc.mu.Unlock()
	w.WriteHeader(code)
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

func newClient(t *testing.T, url string, clock *fakeclock.Clock, timeout time.Duration) *callback.Client {
	t.Helper()
	c, err := callback.New(url, callback.Options{AllowLoopbackHTTP: true, Now: clock.Now, Timeout: timeout})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// checkSigned checks that d is the event ev, signed at time at.
func checkSigned(t *testing.T, d delivery, ev connector.Event, at time.Time) {
	t.Helper()
	if d.Method != http.MethodPost || d.ContentType != "application/json" {
		t.Errorf("got %s with content-type %q, want POST application/json", d.Method, d.ContentType)
	}
	if d.ID != ev.ID {
		t.Errorf("got webhook-id %q, want %q", d.ID, ev.ID)
	}
	if want := strconv.FormatInt(at.Unix(), 10); d.Timestamp != want {
		t.Errorf("got webhook-timestamp %q, want %q", d.Timestamp, want)
	}
	want, err := callback.Sign(testSecret, d.ID, at, d.Body)
	if err != nil {
		t.Fatal(err)
	}
	if d.Signature != want {
		t.Errorf("got webhook-signature %q, want %q", d.Signature, want)
	}
	var got connector.Event
	if err := json.Unmarshal(d.Body, &got); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if diff := cmp.Diff(ev, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(d.Body), `"secureLink":`) {
		t.Errorf("body %s has no secureLink", d.Body)
	}
}

func TestSendAnswers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		want   error
	}{
		{"200 is delivered", 200, nil},
		{"204 is delivered", 204, nil},
		{"410 stops", 410, connector.ErrGone},
		{"500 is retried", 500, connector.ErrUnavailable},
		{"404 is retried", 404, connector.ErrUnavailable},
		{"a redirect is not followed, and retried", 302, connector.ErrUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{status: []int{tt.status}}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			clock := fakeclock.New(t0)
			err := newClient(t, srv.URL+"/hooks", clock, 0).Send(t.Context(), submitted, testSecret)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("got error %v, want %v", err, tt.want)
			}
			got := rc.deliveries()
			if len(got) != 1 {
				t.Fatalf("got %d requests, want 1", len(got))
			}
			checkSigned(t, got[0], submitted, t0)
		})
	}
}

// TestSendRetryKeepsID: a receiver that answers 500 and then 200 gets the
// event twice under the same webhook-id, each attempt signed at its own
// time, so it can deduplicate.
func TestSendRetryKeepsID(t *testing.T) {
	rc := &receiver{status: []int{500, 200}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	clock := fakeclock.New(t0)
	c := newClient(t, srv.URL, clock, 0)
	if err := c.Send(t.Context(), submitted, testSecret); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("first attempt: got %v, want ErrUnavailable", err)
	}
	clock.Advance(90 * time.Second)
	if err := c.Send(t.Context(), submitted, testSecret); err != nil {
		t.Fatalf("second attempt: got %v, want delivered", err)
	}
	got := rc.deliveries()
	if len(got) != 2 {
		t.Fatalf("got %d requests, want 2", len(got))
	}
	checkSigned(t, got[0], submitted, t0)
	checkSigned(t, got[1], submitted, t0.Add(90*time.Second))
}

// TestSendCutAtTimeout: a receiver that never answers is cut when the
// timeout runs out (shortened here; 10 s in production).
func TestSendCutAtTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := newClient(t, srv.URL, fakeclock.New(t0), 50*time.Millisecond)
	start := time.Now()
	err := c.Send(t.Context(), submitted, testSecret)
	if !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), "no answer in time") {
		t.Errorf("error %q does not say the receiver timed out", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Send took %v with a 50ms timeout", took)
	}
}

func TestDefaultTimeoutIsTenSeconds(t *testing.T) {
	if callback.DefaultTimeout != 10*time.Second {
		t.Errorf("got %v, want 10s", callback.DefaultTimeout)
	}
}

func TestNewChecksTheURL(t *testing.T) {
	for _, tt := range []struct {
		url      string
		loopback bool
		ok       bool
	}{
		{"https://hooks.example.com/in?token=t0ps3cret", false, true},
		{"https://hooks.example.com/in", true, true},
		{"http://hooks.example.com/in?token=t0ps3cret", false, false},
		{"http://hooks.example.com/in?token=t0ps3cret", true, false},
		{"http://10.0.0.1/in?token=t0ps3cret", true, false},
		{"http://127.0.0.1:9000/in?token=t0ps3cret", false, false},
		{"http://127.0.0.1:9000/in?token=t0ps3cret", true, true},
		{"http://[::1]:9000/in", true, true},
		{"http://localhost:9000/in", true, true},
		{"ftp://hooks.example.com/in", true, false},
		{"/in?token=t0ps3cret", true, false},
		{"https://user:t0ps3cret@hooks.example.com/in", false, false},
	} {
		_, err := callback.New(tt.url, callback.Options{AllowLoopbackHTTP: tt.loopback})
		if (err == nil) != tt.ok {
			t.Errorf("New(%q, loopback %v): got error %v, want ok %v", tt.url, tt.loopback, err, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "t0ps3cret") {
			t.Errorf("New(%q): error %q quotes the url's secret", tt.url, err)
		}
	}
}

// TestErrorsQuoteNothingSecret: whatever fails, the error names the host
// and never the URL's path or query, the secret or the body.
func TestErrorsQuoteNothingSecret(t *testing.T) {
	srv := httptest.NewServer(&receiver{status: []int{500}})
	refused := httptest.NewServer(http.NotFoundHandler())
	refusedURL := refused.URL
	refused.Close()
	defer srv.Close()
	const path = "/hooks/t0ps3cret-path?token=t0ps3cret-query"
	for _, tt := range []struct {
		name, url string
		secret    connector.Secret
	}{
		{"answered 500", srv.URL + path, testSecret},
		{"connection refused", refusedURL + path, testSecret},
		{"malformed secret", srv.URL + path, "whsec_t0ps3cret-secret"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := newClient(t, tt.url, fakeclock.New(t0), time.Second).Send(t.Context(), submitted, tt.secret)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Fatalf("got %v, want ErrUnavailable", err)
			}
			for _, leak := range []string{"t0ps3cret", string(testSecret), string(submitted.SecureLink), "keyCode", string(submitted.Email)} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q quotes %q", err, leak)
				}
			}
		})
	}
}
