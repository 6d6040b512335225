package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
)

// TestTextShownSafely: a conversation id or a collect_files purpose with
// control characters, which would reach the customer or an agent
// as they are, is refused on every route; so is a body that is not UTF-8.
func TestTextShownSafely(t *testing.T) {
	c := newCloud(t)
	mcpHeaders := map[string]string{"authorization": "Bearer " + itToken, "content-type": "application/json",
		"accept": "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28",
		"mcp-method": "tools/call", "mcp-name": "collect_files"}
	// collect calls collect_files from a client that takes URL elicitations.
	collect := func(t *testing.T, purpose []byte) map[string]any {
		t.Helper()
		body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"collect_files","arguments":{"purpose":` + string(purpose) + `},` +
			`"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},` +
			`"io.modelcontextprotocol/clientCapabilities":{"elicitation":{"url":{}}}}}}`
		st, m, _ := c.call(t, "POST", "/mcp", body, mcpHeaders)
		if st != 200 {
			t.Fatalf("collect_files: got %d %v", st, m)
		}
		return m
	}
	if r, _ := collect(t, []byte(`"A photo of the meter."`))["result"].(map[string]any); r["resultType"] != "input_required" {
		t.Fatalf("collect_files with a plain purpose: got %v, want input_required", r)
	}
	for _, bad := range []string{"conv\n1", "conv\r1", "conv\x001", "conv\x1b[31m", "conv\u0085x", "conv\u009bx",
		"conv\u2028x", "conv\u202eevil", "conv\u202ax", "conv\u2066x", "conv\u2069x", "conv\x7fx"} {
		q, _ := json.Marshal(bad)
		t.Run("conversationId "+strings.Trim(string(q), `"`), func(t *testing.T) {
			if st, m := c.chat(t, `{"action":"generateId","conversationId":`+string(q)+`}`); st != 400 || m["Error"] != "InvalidRequest" {
				t.Errorf("generateId: got %d %v, want 400 InvalidRequest", st, m)
			}
			if st, m, _ := c.call(t, "POST", "/tools/generate_upload_link", `{"conversationId":`+string(q)+`}`, bearer); st != 400 {
				t.Errorf("generate_upload_link: got %d %v, want 400", st, m)
			}
			if m := collect(t, q); !isToolError(m) || !strings.Contains(fmt.Sprint(m), "purpose holds control characters") {
				t.Errorf("collect_files purpose: got %v, want a tool error naming the purpose", m)
			}
		})
	}
	for _, good := range []string{"conv-1", "Gespräch 7 — ✓", "محادثة", "\t"[1:]} {
		q, _ := json.Marshal(good)
		if st, m := c.chat(t, `{"action":"generateId","conversationId":`+string(q)+`}`); st != 200 {
			t.Errorf("conversationId %s: got %d %v, want 200", q, st, m)
		}
	}

	notUTF8 := "{\"action\":\"generateId\",\"conversationId\":\"conv-\xff\xfe\"}"
	for _, tt := range []struct {
		path    string
		headers map[string]string
		body    string
	}{
		{"/", bearer, notUTF8},
		{"/tools/generate_upload_link", bearer, notUTF8},
		{"/webhook", map[string]string{"content-type": "application/json"}, notUTF8},
		{"/mcp", map[string]string{"authorization": "Bearer " + itToken, "content-type": "application/json",
			"accept": "application/json, text/event-stream"}, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"\xff\"}}"},
	} {
		t.Run("not UTF-8 on "+tt.path, func(t *testing.T) {
			ev, _ := json.Marshal(map[string]any{"version": "2.0", "rawPath": tt.path, "headers": tt.headers,
				"body": base64.StdEncoding.EncodeToString([]byte(tt.body)), "isBase64Encoded": true,
				"requestContext": map[string]any{"requestId": "it", "stage": "$default", "http": map[string]any{"method": "POST"}}})
			out, err := c.h.Invoke(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}
			var resp apigw.Response
			if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != 400 {
				t.Errorf("got %d %s, want 400", resp.StatusCode, resp.Body)
			}
		})
	}
}

// isToolError reports whether a JSON-RPC answer is a tool result with
// isError, or a JSON-RPC error.
func isToolError(m map[string]any) bool {
	if _, ok := m["error"]; ok {
		return true
	}
	r, _ := m["result"].(map[string]any)
	return r != nil && r["isError"] == true
}
