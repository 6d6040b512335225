package apigw_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/mcp"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/tools"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// The fixed values of testdata/events (see its README).
const (
	fixtureID    = connectortest.FixtureID
	fixtureEmail = connectortest.FixtureEmail
	fixtureKey   = connectortest.FixtureKey
	fixtureToken = connectortest.FixtureToken
)

var fixtureNow = connectortest.FixtureNow

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
	e := connectortest.New(t, connectortest.WithKeys(connector.KeySet{ValidationKey: fixtureKey}),
		connectortest.WithIDs(connectortest.FixtureIDs()))
	s := &stack{svc: e.Svc, store: e.Store, pub: e.Published(), keys: e.Keys, logs: &bytes.Buffer{}}
	opt := apigw.Options{
		AllowedOrigins: []string{"https://files.sendsafely.com", "https://acme.sendsafely.com"},
		Logger:         slog.New(slog.NewJSONHandler(s.logs, nil)),
		Now:            e.Clock.Now,
	}
	opt.Tools = tools.NewRunner(e.Svc, apigw.ErrorReply, tools.Options{})
	srv, err := mcp.NewServer(opt.Tools, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.MCP = mcp.New(srv, nil)
	s.h = apigw.New(e.Svc, opt)
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
