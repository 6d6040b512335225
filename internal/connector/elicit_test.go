package connector_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestCollectTokens holds the sealed tokens of collect_files to the
// contract: the page token opens to the upload page generateId returns,
// the state to the upload's links; altered, expired, foreign, swapped or
// replayed-with-other-arguments tokens are refused; neither holds the
// email in any readable form.
func TestCollectTokens(t *testing.T) {
	ctx := context.Background()
	req := connector.CollectRequest{Email: testEmail, ConversationID: "conv-1", Purpose: "Your last two bank statements"}
	flip := func(tok string) string {
		b, _ := base64.RawURLEncoding.DecodeString(tok)
		b[len(b)/2] ^= 1
		return base64.RawURLEncoding.EncodeToString(b)
	}
	for _, tt := range []struct {
		name string
		// change returns the page token and the state to present, and may
		// change the environment.
		change   func(e *env, c connector.Collection) (page, state string, req connector.CollectRequest)
		wantPage error // nil: opens to the upload page
		want     error // of the state
	}{
		{"valid", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			return c.PageToken, c.State, req
		}, nil, nil},
		{"altered", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			return flip(c.PageToken), flip(c.State), req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"truncated", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			return c.PageToken[:20], c.State[:20], req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"not base64url", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			return "..", "%%", req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"expired", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			e.clock.Advance(e.set.UploadTTL)
			return c.PageToken, c.State, req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"foreign: sealed under another key", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			e.keys.Set(connector.KeySet{ValidationKey: "another-deployment-key"})
			return c.PageToken, c.State, req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"key rotated: the previous key still opens", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			e.keys.Set(connector.KeySet{ValidationKey: "the-new-key", PreviousValidationKey: testKey})
			return c.PageToken, c.State, req
		}, nil, nil},
		{"each token only for its purpose", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			return c.State, c.PageToken, req
		}, connector.ErrNotFound, connector.ErrNotFound},
		{"state with other arguments", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			other := req
			other.Purpose = "Something else"
			return c.PageToken, c.State, other
		}, nil, connector.ErrNotFound},
		{"state with another email", func(e *env, c connector.Collection) (string, string, connector.CollectRequest) {
			other := req
			other.Email = "someone@example.com"
			return c.PageToken, c.State, other
		}, nil, connector.ErrNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c, err := e.svc.StartCollect(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range []string{c.PageToken, c.State} {
				b, err := base64.RawURLEncoding.DecodeString(tok)
				if err != nil {
					t.Fatalf("token %q is not unpadded base64url: %v", tok, err)
				}
				low := strings.ToLower(string(b))
				for _, secret := range []string{"customer", "example.com", c.Upload.ID, "conv-1", "bank"} {
					if strings.Contains(low, strings.ToLower(secret)) {
						t.Errorf("token holds %q in the clear", secret)
					}
				}
			}
			page, state, r := tt.change(e, c)
			got, err := e.svc.UploadPage(ctx, page)
			if !errors.Is(err, tt.wantPage) || (tt.wantPage == nil && got != c.Upload.URL) {
				t.Errorf("UploadPage: got %q, %v; want %q, %v", string(got), err, string(c.Upload.URL), tt.wantPage)
			}
			res, err := e.svc.ResumeCollect(ctx, state, r, 0)
			if !errors.Is(err, tt.want) || (tt.want == nil && (res.Links.Ready || res.UploadID != c.Upload.ID || res.PageToken == "")) {
				t.Errorf("ResumeCollect: got %+v, %v; want pending, %v", res, err, tt.want)
			}
		})
	}
}

// TestResumeCollect: pending until a notification comes in, then ready
// with the links; a wait polls on the injected clock; a purpose too long
// is refused before anything is stored.
func TestResumeCollect(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	req := connector.CollectRequest{Purpose: "ID"}
	c, err := e.svc.StartCollect(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(c.Upload.URL), "id="+c.Upload.ID) || strings.Contains(string(c.Upload.URL), "&e=") {
		t.Errorf("got upload URL %q, want one for %s with no email", string(c.Upload.URL), c.Upload.ID)
	}
	res, err := e.svc.ResumeCollect(ctx, c.State, req, 10*time.Second)
	if err != nil || res.Links.Ready {
		t.Fatalf("got %+v, %v; want pending", res, err)
	}
	if len(e.clock.Slept()) == 0 {
		t.Errorf("a wait of 10 s did not poll")
	}
	// The page token of a later round opens to the same page.
	if got, err := e.svc.UploadPage(ctx, res.PageToken); err != nil || got != c.Upload.URL {
		t.Errorf("UploadPage of the fresh token: got %q, %v; want %q", string(got), err, string(c.Upload.URL))
	}
	// Submitted by a customer whose email the caller never gave.
	if _, err := e.svc.Notify(ctx, sign(t, e.payload(c.Upload.ID, "PKG-1"), testKey)); err != nil {
		t.Fatal(err)
	}
	res, err = e.svc.ResumeCollect(ctx, c.State, req, 0)
	if err != nil || !res.Links.Ready || len(res.Links.Links) != 1 {
		t.Fatalf("got %+v, %v; want ready with one link", res, err)
	}
	if _, err := e.svc.StartCollect(ctx, connector.CollectRequest{Purpose: strings.Repeat("é", connector.MaxPurpose+1)}); !errors.Is(err, connector.ErrInvalid) {
		t.Errorf("purpose of %d characters: got %v, want ErrInvalid", connector.MaxPurpose+1, err)
	}
	if n := len(e.store.Records()); n != 1 {
		t.Errorf("got %d records, want 1", n)
	}
}
