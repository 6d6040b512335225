package apigw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// The fixed values of testdata/events (see its README).
const (
	fixtureID    = "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"
	fixtureEmail = "user@example.com"
	fixtureKey   = "local-test-validation-key"
	fixtureToken = "local-test-api-token"
)

var fixtureNow = time.Date(2026, 11, 21, 8, 1, 0, 0, time.UTC)

// stack is a handler on a real service with in-memory parts.
type stack struct {
	h     *apigw.Handler
	svc   *connector.Service
	store *memory.Store
	pub   *memory.Publisher
	keys  *memory.Keys
	logs  *bytes.Buffer
}

func newStack(t testing.TB) *stack {
	t.Helper()
	s := &stack{store: &memory.Store{}, pub: &memory.Publisher{}, logs: &bytes.Buffer{},
		keys: memory.NewKeys(connector.KeySet{ValidationKey: fixtureKey})}
	clk := fakeclock.New(fixtureNow)
	svc, err := connector.New(connector.Settings{
		SendSafelyHost: "acme.sendsafely.com", DropzoneID: "DROPZONE",
		UploadPageURL: "https://files.sendsafely.com/html/cb_upload.htm",
		UploadTTL:     24 * time.Hour, LinkTTL: 168 * time.Hour, WebhookMaxAge: time.Hour,
	}, connector.Deps{Store: s.store, Publisher: s.pub, Keys: s.keys, Dropzone: dropzone.Codec{},
		NewID: ids(), Now: clk.Now, Sleep: clk.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	s.svc = svc
	opt := apigw.Options{
		AllowedOrigins: []string{"https://files.sendsafely.com", "https://acme.sendsafely.com"},
		Logger:         slog.New(slog.NewJSONHandler(s.logs, nil)),
		Now:            clk.Now,
	}
	opt.Tools = tools.NewRunner(svc, apigw.ErrorReply)
	srv, err := mcp.NewServer(opt.Tools, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.MCP = mcp.New(srv, nil)
	s.h = apigw.New(svc, opt)
	return s
}

// invoke runs raw event JSON through the Lambda runtime's own handler
// wrapper, as the function receives it, and returns the decoded response.
func (s *stack) invoke(t testing.TB, raw []byte) apigw.Response {
	t.Helper()
	out, err := lambda.NewHandler(s.h).Invoke(context.Background(), raw)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	var resp apigw.Response
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response: %v\n%s", err, out)
	}
	return resp
}

func readEvent(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// event returns a minimal HTTP API event.
func event(method, path, body string, headers map[string]string) []byte {
	ev := map[string]any{
		"version": "2.0", "rawPath": path, "headers": headers, "body": body,
		"requestContext": map[string]any{"requestId": "req-test", "stage": "$default", "http": map[string]any{"method": method}},
	}
	b, _ := json.Marshal(ev)
	return b
}

func body(t testing.TB, resp apigw.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
		t.Fatalf("body is not JSON: %v: %q", err, resp.Body)
	}
	return m
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// ids returns the fixture id first, as the event files expect, then
// random ones.
func ids() func() (string, error) {
	var n atomic.Int32
	return func() (string, error) {
		if n.Add(1) == 1 {
			return fixtureID, nil
		}
		return uuid.NewString(), nil
	}
}
