package apigw

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRouteTableRow: a route added as one row of the table gets its 405,
// Allow and preflight methods from that row alone.
func TestRouteTableRow(t *testing.T) {
	var logs bytes.Buffer
	h := New(nil, Options{AllowedOrigins: []string{"https://app.example"}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	h.routes = derive(append(h.routes, route{path: "/x/", prefix: true, methods: []string{http.MethodGet}, format: chatErrors, logAs: "/x/{token}",
		serve: func(_ *Handler, _ context.Context, _ *request, rest string, _ []byte, _ *logLine) Response {
			return jsonResponse(http.StatusOK, map[string]string{"token": rest})
		}}))
	for _, tt := range []struct {
		name, method string
		status       int
		headers      map[string]string
		body         string
	}{
		{"get", http.MethodGet, 200, nil, `{"token":"abc"}`},
		{"post", http.MethodPost, 405, map[string]string{"Allow": "OPTIONS, GET"}, ""},
		{"preflight", http.MethodOptions, 204, map[string]string{"Access-Control-Allow-Methods": "GET, OPTIONS"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ev := Event{Version: "2.0", RawPath: "/x/abc", Headers: map[string]string{"origin": "https://app.example"}}
			ev.RequestContext.HTTP.Method = tt.method
			resp, err := h.Handle(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("got %d %s, want %d", resp.StatusCode, resp.Body, tt.status)
			}
			for k, want := range tt.headers {
				if got := resp.Headers[k]; got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			if strings.Contains(logs.String(), "abc") || !strings.Contains(logs.String(), `"route":"/x/{token}"`) {
				t.Errorf("log line %s: want the route's logAs, not the path", logs.String())
			}
			if tt.body != "" {
				if diff := cmp.Diff(tt.body, resp.Body); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			}
		})
	}
}
