package connector_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestGetLinkRequestChecks(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	for _, tt := range []struct {
		name string
		req  connector.LinkRequest
		want error
	}{
		{"pending", connector.LinkRequest{UploadID: id, Email: testEmail}, nil},
		{"upper-case id", connector.LinkRequest{UploadID: "00000000-0000-4000-8000-000000000001", Email: testEmail}, nil},
		{"email other case and spaces", connector.LinkRequest{UploadID: id, Email: " customer@example.com\t"}, nil},
		{"no upload id", connector.LinkRequest{Email: testEmail}, connector.ErrInvalid},
		{"malformed upload id", connector.LinkRequest{UploadID: "abc", Email: testEmail}, connector.ErrInvalid},
		{"no email", connector.LinkRequest{UploadID: id}, connector.ErrInvalid},
		{"malformed email", connector.LinkRequest{UploadID: id, Email: "not an email"}, connector.ErrInvalid},
		{"negative wait", connector.LinkRequest{UploadID: id, Email: testEmail, Wait: -time.Second}, connector.ErrInvalid},
		{"wait over 25 s", connector.LinkRequest{UploadID: id, Email: testEmail, Wait: 26 * time.Second}, connector.ErrInvalid},
		{"unknown upload", connector.LinkRequest{UploadID: "00000000-0000-4000-8000-999999999999", Email: testEmail}, connector.ErrNotFound},
		{"other email", connector.LinkRequest{UploadID: id, Email: "other@example.com"}, connector.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.svc.GetLink(context.Background(), tt.req)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err == nil && res.Ready {
				t.Error("ready without a submission")
			}
		})
	}
}

func TestGetLinkNotFoundIsOneAnswer(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	_, errWrongEmail := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: "x@example.com"})
	_, errUnknown := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: "00000000-0000-4000-8000-999999999999", Email: testEmail})
	e.clock.Advance(24 * time.Hour)
	_, errExpired := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: testEmail})
	for _, err := range []error{errWrongEmail, errUnknown, errExpired} {
		if !errors.Is(err, connector.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
		if connector.Message(err) != connector.Message(errUnknown) {
			t.Errorf("messages differ: %q vs %q", connector.Message(err), connector.Message(errUnknown))
		}
	}
}

func TestGetLinkReadyThenExpires(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	p1, p2 := e.payload(id, "P1"), e.payload(id, "P2")
	n1, n2 := sign(t, p1, testKey), sign(t, p2, testKey)
	for _, n := range []connector.Notice{n1, n2} {
		if _, err := e.svc.Notify(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	res := links(t, e, id, testEmail)
	if !res.Ready || len(res.Links) != 2 || res.Links[0] != n1.SecureLink || res.Links[1] != n2.SecureLink {
		t.Fatalf("got %+v, want both links in stored order", res)
	}
	if want, _ := time.Parse(time.RFC3339, p2.SubmittedAt); !res.SubmittedAt.Equal(want) {
		t.Errorf("SubmittedAt: got %v, want %v", res.SubmittedAt, want)
	}
	// The link outlives the upload's window, until LINK_TTL.
	e.clock.Advance(167 * time.Hour)
	if res := links(t, e, id, testEmail); !res.Ready {
		t.Error("link gone before LINK_TTL")
	}
	e.clock.Advance(time.Hour)
	if _, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: testEmail}); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("after LINK_TTL: got %v, want ErrNotFound", err)
	}
}

func TestGetLinkWaitReturnsWhenSubmitted(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	n := sign(t, e.payload(id, "P1"), testKey)
	sleeps := 0
	e.clock.OnSleep(func(time.Duration) {
		if sleeps++; sleeps == 3 {
			if _, err := e.svc.Notify(context.Background(), n); err != nil {
				t.Error(err)
			}
		}
	})
	start := e.clock.Now()
	res, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: testEmail, Wait: 20 * time.Second})
	if err != nil || !res.Ready || res.Links[0] != n.SecureLink {
		t.Fatalf("got %+v, %v; want the link", res, err)
	}
	if waited := e.clock.Now().Sub(start); waited > 2*time.Second {
		t.Errorf("waited %v after the submission arrived at the third poll", waited)
	}
	// Back-off grows and stays bounded.
	slept := e.clock.Slept()
	for i := 1; i < len(slept); i++ {
		if slept[i] < slept[i-1] || slept[i] > 2*time.Second {
			t.Errorf("pauses %v: want non-decreasing, at most 2s", slept)
		}
	}
}

func TestGetLinkWaitTimesOutPending(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	start := e.clock.Now()
	res, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: testEmail, Wait: 10 * time.Second})
	if err != nil || res.Ready {
		t.Fatalf("got %+v, %v; want pending", res, err)
	}
	if waited := e.clock.Now().Sub(start); waited != 10*time.Second {
		t.Errorf("waited %v, want exactly the 10s asked for", waited)
	}
}

func TestGetLinkWaitStopsBeforeDeadline(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	ctx, cancel := context.WithDeadline(context.Background(), e.clock.Now().Add(5*time.Second))
	defer cancel()
	start := e.clock.Now()
	res, err := e.svc.GetLink(ctx, connector.LinkRequest{UploadID: id, Email: testEmail, Wait: 25 * time.Second})
	if err != nil || res.Ready {
		t.Fatalf("got %+v, %v; want pending", res, err)
	}
	if waited := e.clock.Now().Sub(start); waited >= 5*time.Second {
		t.Errorf("waited %v: past the function's deadline", waited)
	}
}

func TestGetLinkStoreDown(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	e.store.Err = errDown
	if _, err := e.svc.GetLink(context.Background(), connector.LinkRequest{UploadID: id, Email: testEmail}); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
}
