package mcp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/tools"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

const (
	testHost  = "acme.sendsafely.com"
	testDZ    = "DROPZONE"
	testKey   = "mcp-test-validation-key"
	testToken = "mcp-test-api-token"
	testEmail = "user@example.com"
)

// local is the connector as `make run` serves it: the function's edges,
// wired by internal/wiring on in-memory parts, behind an HTTP server on
// 127.0.0.1 that turns each request into an HTTP API event.
type local struct {
	url   string
	keys  *memory.Keys
	clock *fakeclock.Clock
}

func startLocal(t *testing.T) *local {
	t.Helper()
	return startLocalWith(t, nil)
}

// startLocalWith is startLocal with the service's store replaced by what
// store returns (nil keeps the environment's).
func startLocalWith(t *testing.T, store func(connector.Store) connector.Store) *local {
	t.Helper()
	e := connectortest.New(t, connectortest.WithSettings(func(s *connector.Settings) { s.SendSafelyHost, s.DropzoneID = testHost, testDZ }),
		connectortest.WithKeys(connector.KeySet{ValidationKey: testKey, APIToken: testToken}),
		connectortest.WithNow(time.Now().UTC().Truncate(time.Second)), connectortest.WithIDs(connectortest.RandomIDs))
	l := &local{keys: e.Keys, clock: e.Clock}
	svc := e.Svc
	if store != nil {
		deps := e.Deps(connectortest.RandomIDs)
		deps.Store = store(deps.Store)
		var err error
		if svc, err = connector.New(e.Settings, deps); err != nil {
			t.Fatal(err)
		}
	}
	// The edges exactly as wiring builds them for both commands, served
	// through apigw's net/http adapter as connector-dev serves them.
	entry, err := wiring.NewEntry(svc, apigw.Options{AllowedOrigins: []string{"https://files.sendsafely.com"}, Now: l.clock.Now}, tools.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(entry.HTTP)
	t.Cleanup(ts.Close)
	l.url = ts.URL
	return l
}

// submit posts the signed notification the Dropzone upload page would
// send for one package of the upload, and fails t unless it is accepted.
func (l *local) submit(t *testing.T, uploadID, packageID string) string {
	t.Helper()
	p := dropzone.Payload{UploadID: uploadID, Email: testEmail, PackageID: packageID, PackageCode: "pc-" + packageID,
		DropzoneID: testDZ, SubmittedAt: l.clock.Now().Format(time.RFC3339)}
	f := dropzone.Form(p, []byte(testKey), testHost, "KeyCode-0123456789-"+packageID)
	link, form := f.Get("secureLink"), f.Encode()
	resp, err := http.Post(l.url+"/webhook", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("webhook: %d %s", resp.StatusCode, b)
	}
	return link
}

// withHeader is a RoundTripper that adds one header to every request.
type withHeader struct{ key, value string }

func (h withHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if h.key != "" {
		r.Header.Set(h.key, h.value)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func client(key, value string) *http.Client { return &http.Client{Transport: withHeader{key, value}} }

func bearer() *http.Client { return client("Authorization", "Bearer "+testToken) }

// post sends one raw request to /mcp and returns the status, headers and body.
func (l *local) post(t *testing.T, method, body string, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, l.url+"/mcp", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}
