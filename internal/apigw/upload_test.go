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
