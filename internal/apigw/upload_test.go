package apigw_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// TestUploadPage holds GET /u/<token> to the contract: a valid token
// redirects to its upload's page (the URL generateId returns) with no API
// token asked for; an altered, expired, foreign or malformed token is a
// 404; no log line holds the token or the email.
func TestUploadPage(t *testing.T) {
	ctx := context.Background()
	keys := connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken}
	e := connectortest.New(t, connectortest.WithKeys(keys), connectortest.WithIDs(connectortest.FixtureIDs()))
	var logs bytes.Buffer
	h := apigw.New(e.Svc, apigw.Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Now: e.Clock.Now})
	c, err := e.Svc.StartCollect(ctx, connector.CollectRequest{Email: fixtureEmail, Purpose: "Your passport"})
	if err != nil {
		t.Fatal(err)
	}
	// A token of another deployment, sealed under another validation key.
	other := connectortest.New(t, connectortest.WithKeys(connector.KeySet{ValidationKey: "another-key"}))
	foreign, err := other.Svc.StartCollect(ctx, connector.CollectRequest{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(c.PageToken)
	raw[len(raw)-1] ^= 1
	altered := base64.RawURLEncoding.EncodeToString(raw)

	for _, tt := range []struct {
		name, method, path string
		before             func()
		status             int
		location, inBody   string
	}{
		{"valid", "GET", "/u/" + c.PageToken, nil, 302, string(c.Upload.URL), ""},
		{"valid with a trailing slash", "GET", "/u/" + c.PageToken + "/", nil, 302, string(c.Upload.URL), ""},
		{"altered", "GET", "/u/" + altered, nil, 404, "", "ask for a new one"},
		{"foreign", "GET", "/u/" + foreign.PageToken, nil, 404, "", "ask for a new one"},
		{"the request state is no page token", "GET", "/u/" + c.State, nil, 404, "", "ask for a new one"},
		{"not base64url", "GET", "/u/" + c.PageToken[:10] + ".x", nil, 404, "", ""},
		{"no token", "GET", "/u/", nil, 404, "", ""},
		{"POST", "POST", "/u/" + c.PageToken, nil, 405, "", ""},
		{"expired", "GET", "/u/" + c.PageToken, func() { e.Clock.Advance(e.Settings.UploadTTL + time.Second) }, 404, "", "ask for a new one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			logs.Reset()
			out, err := lambda.NewHandler(h).Invoke(ctx, event(tt.method, tt.path, "", map[string]string{"host": "abc.execute-api.eu-west-1.amazonaws.com"}))
			if err != nil {
				t.Fatal(err)
			}
			var resp apigw.Response
			if err := jsonUnmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("got status %d %s, want %d", resp.StatusCode, resp.Body, tt.status)
			}
			if !strings.Contains(resp.Body, tt.inBody) {
				t.Errorf("got body %s, want %q in it", resp.Body, tt.inBody)
			}
			if got := resp.Headers["Location"]; got != tt.location {
				t.Errorf("got Location %q, want %q", got, tt.location)
			}
			line := logs.String()
			for _, secret := range []string{c.PageToken, c.State, altered, fixtureEmail, url.QueryEscape(fixtureEmail), c.Upload.ID} {
				if strings.Contains(line, secret) {
					t.Errorf("log line %s holds %q", line, secret)
				}
			}
			if tt.status != 404 || strings.Contains(tt.name, "altered") {
				if !strings.Contains(line, `"route":"/u/{token}"`) {
					t.Errorf("log line %s: want route /u/{token}", line)
				}
			}
		})
	}
}

// TestUploadPageInBrowser: the customer's browser, which asks for HTML,
// gets a short page for a link that does not open, not the JSON an API
// client reads; the valid link still redirects.
func TestUploadPageInBrowser(t *testing.T) {
	ctx := context.Background()
	e := connectortest.New(t, connectortest.WithKeys(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken}))
	h := apigw.New(e.Svc, apigw.Options{Now: e.Clock.Now})
	c, err := e.Svc.StartCollect(ctx, connector.CollectRequest{})
	if err != nil {
		t.Fatal(err)
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tt := range []struct {
		name, path, accept string
		status             int
		contentType        string
	}{
		{"valid", "/u/" + c.PageToken, browser, 302, ""},
		{"altered, in a browser", "/u/" + c.PageToken[:len(c.PageToken)-2] + "AA", browser, 404, "text/html; charset=utf-8"},
		{"not base64url, in a browser", "/u/not.a.token", browser, 404, "text/html; charset=utf-8"},
		{"altered, from a client", "/u/" + c.PageToken[:len(c.PageToken)-2] + "AA", "application/json", 404, "application/json; charset=utf-8"},
		{"altered, no Accept", "/u/" + c.PageToken[:len(c.PageToken)-2] + "AA", "", 404, "application/json; charset=utf-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{"host": "abc.execute-api.eu-west-1.amazonaws.com"}
			if tt.accept != "" {
				headers["accept"] = tt.accept
			}
			out, err := lambda.NewHandler(h).Invoke(ctx, event("GET", tt.path, "", headers))
			if err != nil {
				t.Fatal(err)
			}
			var resp apigw.Response
			if err := jsonUnmarshal(out, &resp); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || resp.Headers["Content-Type"] != tt.contentType {
				t.Fatalf("got %d %q, want %d %q; body %s", resp.StatusCode, resp.Headers["Content-Type"], tt.status, tt.contentType, resp.Body)
			}
			if strings.HasPrefix(tt.contentType, "text/html") {
				if !strings.HasPrefix(resp.Body, "<!doctype html>") || !strings.Contains(resp.Body, "ask for a new one") ||
					resp.Headers["Content-Security-Policy"] == "" || resp.Headers["Cache-Control"] != "no-store" {
					t.Errorf("got headers %v body %s, want a short HTML page saying to ask for a new link", resp.Headers, resp.Body)
				}
			}
		})
	}
}
