package apigw_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestServeHTTP sends real HTTP requests through the adapter and checks
// that they reach the handler as API Gateway would deliver them, and that
// its answers come back whole.
func TestServeHTTP(t *testing.T) {
	form := webhookForm(t).Encode()
	page := "https://files.sendsafely.com"
	for _, tt := range []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		body    string
		token   connector.Secret
		status  int
		want    map[string]string // response headers
		inBody  string
	}{
		{name: "generateId", method: "POST", path: "/", body: `{"action":"generateId","email":"user@example.com"}`,
			status: 200, want: map[string]string{"Content-Type": "application/json; charset=utf-8"}, inBody: `"UploadId":"` + fixtureID + `"`},
		{name: "trailing slash", method: "POST", path: "/webhook/", body: form, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			status: 200, inBody: `{"result":"success"}`},
		{name: "webhook from the upload page", method: "POST", path: "/webhook", body: form,
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": page},
			status:  200, want: map[string]string{"Access-Control-Allow-Origin": page, "Vary": "Origin"}, inBody: `{"result":"success"}`},
		{name: "preflight", method: "OPTIONS", path: "/webhook",
			headers: map[string]string{"Origin": page, "Access-Control-Request-Method": "POST"},
			status:  204, want: map[string]string{"Access-Control-Allow-Origin": page, "Access-Control-Allow-Methods": "POST, OPTIONS",
				"Access-Control-Allow-Headers": "Authorization, Content-Type, X-Api-Key, Mcp-Protocol-Version, Mcp-Method, Mcp-Name"}},
		{name: "header names any case", method: "POST", path: "/", body: `{"action":"generateId"}`,
			headers: map[string]string{"X-API-KEY": fixtureToken}, token: fixtureToken, status: 200},
		{name: "token missing", method: "POST", path: "/", body: `{"action":"generateId"}`, token: fixtureToken,
			status: 401, want: map[string]string{"WWW-Authenticate": `Bearer realm="chatbot-connector"`}, inBody: `"Error":"Unauthorized"`},
		{name: "wrong method", method: "GET", path: "/", status: 405, want: map[string]string{"Allow": "OPTIONS, POST"}},
		{name: "unknown path", method: "POST", path: "/admin", body: `{}`, status: 404, inBody: `"Error":"NotFound"`},
		{name: "body at the limit", method: "POST", path: "/", body: padded(64 << 10), status: 200},
		{name: "body over the limit", method: "POST", path: "/", body: padded(64<<10 + 1),
			status: 413, inBody: `"Error":"PayloadTooLarge"`},
		{name: "body far over the limit", method: "POST", path: "/webhook", body: strings.Repeat("x", 1<<20),
			status: 413, inBody: `{"result":"error"`},
		{name: "body not UTF-8 travels as base64, and is refused (RFC 8259)", method: "POST", path: "/",
			body: "{\"action\":\"generateId\",\"conversationId\":\"\xff\"}", status: 400, inBody: `not valid UTF-8`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: tt.token})
			if strings.HasPrefix(tt.path, "/webhook") {
				if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
					t.Fatal(err)
				}
			}
			srv := httptest.NewServer(s.h)
			defer srv.Close()
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d; body %s", resp.StatusCode, tt.status, b)
			}
			for k, v := range tt.want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("header %s: got %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(string(b), tt.inBody) {
				t.Errorf("body %s does not hold %s", b, tt.inBody)
			}
		})
	}
}

// padded returns a generateId body of exactly n bytes, its padding in an
// ignored field.
func padded(n int) string {
	head, tail := `{"action":"generateId","pad":"`, `"}`
	return head + strings.Repeat("p", n-len(head)-len(tail)) + tail
}

// TestServeHTTPLogLine: the adapter gives each request an id of its own, as
// API Gateway does, and the log line carries it.
func TestServeHTTPLogLine(t *testing.T) {
	s := newStack(t)
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	for range 2 {
		resp, err := srv.Client().Post(srv.URL+"/", "application/json", strings.NewReader(`{"action":"generateId"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	ids := map[string]bool{}
	for line := range strings.Lines(s.logs.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		id, _ := m["requestId"].(string)
		if !strings.HasPrefix(id, "local-") {
			t.Errorf("requestId %q, want a local- id", id)
		}
		ids[id] = true
	}
	if len(ids) != 2 {
		t.Errorf("got request ids %v, want two different ones", ids)
	}
}
