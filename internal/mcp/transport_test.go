package mcp_test

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`
	listTools  = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
	listen     = `{"jsonrpc":"2.0","id":3,"method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}`
)

// TestTransport holds the HTTP side of the endpoint to the issue: stateless
// POST only, Origin checked, a client that accepts only an event stream
// still served, and nothing that would keep a stream open.
func TestTransport(t *testing.T) {
	auth := "Bearer " + testToken
	base := map[string]string{"Authorization": auth, "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
	with := func(kv ...string) map[string]string {
		h := map[string]string{}
		for k, v := range base {
			h[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			h[kv[i]] = kv[i+1]
		}
		return h
	}
	for _, tt := range []struct {
		name, method, body string
		headers            map[string]string
		status             int
		contentType        string // prefix
		contains           string
	}{
		{"initialize", "POST", strings.Replace(initialize, "%s", "2025-06-18", 1), base, 200, "application/json", `"protocolVersion":"2025-06-18"`},
		{"no session id handed out", "POST", strings.Replace(initialize, "%s", "2025-03-26", 1), base, 200, "application/json", `"protocolVersion":"2025-03-26"`},
		{"2024-11-05 is answered with a newer version", "POST", strings.Replace(initialize, "%s", "2024-11-05", 1), base, 200, "application/json", `"protocolVersion":"2025-11-25"`},
		{"2024-11-05 header refused", "POST", listTools, with("Mcp-Protocol-Version", "2024-11-05"), 400, "application/json", `"code":-32022`},
		{"tools/list without a handshake", "POST", listTools, with("Mcp-Protocol-Version", "2025-11-25"), 200, "application/json", `"name":"generate_upload_link"`},
		{"only text/event-stream accepted", "POST", listTools, with("Accept", "text/event-stream", "Mcp-Protocol-Version", "2025-11-25"), 200, "text/event-stream", `"name":"get_secure_link"`},
		{"no Accept at all", "POST", listTools, with("Accept", ""), 200, "application/json", `"name":"get_secure_link"`},
		{"nothing acceptable", "POST", listTools, with("Accept", "text/html"), 406, "application/json", "Accept"},
		{"GET", "GET", "", base, 405, "application/json", `"jsonrpc":"2.0"`},
		{"DELETE", "DELETE", "", with("Mcp-Session-Id", "abc"), 405, "application/json", `"jsonrpc":"2.0"`},
		{"origin not allowed", "POST", listTools, with("Origin", "https://evil.example"), 403, "application/json", "origin"},
		{"origin allowed", "POST", listTools, with("Origin", "https://files.sendsafely.com", "Mcp-Protocol-Version", "2025-11-25"), 200, "application/json", `"tools"`},
		{"no token", "POST", listTools, with("Authorization", ""), 401, "application/json", "A valid API token is required."},
		// The SDK always answers subscriptions/listen as an event stream; here
		// the stream acknowledges none of the requested types and ends.
		{"subscriptions/listen acknowledged and ended at once", "POST", listen, with("Mcp-Protocol-Version", "2026-07-28", "Mcp-Method", "subscriptions/listen"), 200, "text/event-stream", `"notifications":{}`},
		{"subscriptions/listen acknowledged on an event stream too", "POST", listen, with("Accept", "text/event-stream", "Mcp-Protocol-Version", "2026-07-28", "Mcp-Method", "subscriptions/listen"), 200, "text/event-stream", `"notifications":{}`},
		{"not JSON", "POST", "{", base, 400, "application/json", `"code":-32700`},
		{"an unknown notification is not answered", "POST", `{"jsonrpc":"2.0","method":"notifications/no_such"}`, with("Mcp-Protocol-Version", "2025-11-25"), 202, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := startLocal(t)
			status, h, body := l.post(t, tt.method, tt.body, tt.headers)
			if status != tt.status {
				t.Fatalf("status %d, want %d; body %s", status, tt.status, body)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body %s lacks %s", body, tt.contains)
			}
			if h.Get("Mcp-Session-Id") != "" {
				t.Errorf("a stateless endpoint handed out session %q", h.Get("Mcp-Session-Id"))
			}
			if status == 405 && h.Get("Allow") != "OPTIONS, POST" {
				t.Errorf("405 with Allow %q", h.Get("Allow"))
			}
			if strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				var v any
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Errorf("body is not JSON: %s", body)
				}
			}
		})
	}
}
