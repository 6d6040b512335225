package mcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// rpcAnswer is a JSON-RPC response as the probe reads it.
type rpcAnswer struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	} `json:"error"`
}

// meta26 is the _meta a 2026-07-28 client puts on every request.
const meta26 = `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}`

// TestRawJSONRPC is the raw JSON-RPC probe: each malformed or edge-case
// request with the exact status, content type and error code it must get.
// No answer on /mcp is ever plain text.
func TestRawJSONRPC(t *testing.T) {
	v25 := map[string]string{"Mcp-Protocol-Version": "2025-11-25"}
	v03 := map[string]string{"Mcp-Protocol-Version": "2025-03-26"}
	v26 := func(method, name string) map[string]string {
		h := map[string]string{"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": method}
		if name != "" {
			h["Mcp-Name"] = name
		}
		return h
	}
	type want struct {
		code int    // JSON-RPC error code; 0 for a result
		id   string // the answer's id as JSON
	}
	for _, tt := range []struct {
		name        string
		headers     map[string]string
		body        string
		status      int
		contentType string
		answers     []want // one per answer; several for a batch (an array)
		contains    string
	}{
		{"malformed JSON", v25, `{"jsonrpc":"2.0","id":1,`, 400, "application/json", []want{{-32700, "null"}}, ""},
		{"malformed JSON on 2026-07-28", v26("tools/list", ""), `{`, 400, "application/json", []want{{-32700, "null"}}, ""},
		{"missing jsonrpc", v25, `{"id":1,"method":"tools/list"}`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"wrong jsonrpc", v25, `{"jsonrpc":"1.0","id":1,"method":"tools/list"}`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"scalar body", v25, `42`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"string body", v25, `"tools/list"`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"empty body", v25, ``, 400, "application/json", []want{{-32700, "null"}}, ""},
		{"empty batch", v03, `[]`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"unknown method on 2025-03-26", v03, `{"jsonrpc":"2.0","id":7,"method":"no/such"}`, 200, "application/json", []want{{-32601, "7"}}, ""},
		{"unknown method on 2025-06-18", map[string]string{"Mcp-Protocol-Version": "2025-06-18"}, `{"jsonrpc":"2.0","id":7,"method":"no/such"}`, 200, "application/json", []want{{-32601, "7"}}, ""},
		{"unknown method on 2025-11-25", v25, `{"jsonrpc":"2.0","id":"x","method":"no/such"}`, 200, "application/json", []want{{-32601, `"x"`}}, ""},
		{"unknown method on 2026-07-28", v26("no/such", ""), `{"jsonrpc":"2.0","id":7,"method":"no/such","params":{` + meta26 + `}}`, 404, "application/json", []want{{-32601, "7"}}, ""},
		{"2025-03-26 batch answered member by member", v03,
			`[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":2,"method":"no/such"},{"jsonrpc":"2.0","id":3,"method":"ping"},{"id":4,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]`,
			200, "application/json", []want{{0, "1"}, {-32601, "2"}, {0, "3"}, {-32600, "null"}}, `"get_secure_link"`},
		{"initialize in a batch refused", v03,
			`[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}},{"jsonrpc":"2.0","id":2,"method":"ping"}]`,
			200, "application/json", []want{{-32600, "1"}, {0, "2"}}, ""},
		{"batch on 2025-11-25 refused", v25, `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, 400, "application/json", []want{{-32600, "null"}}, ""},
		{"too old a version header", map[string]string{"Mcp-Protocol-Version": "2024-11-05"}, listTools, 400, "application/json", []want{{-32022, "2"}}, `"supported"`},
		{"too new a version header", map[string]string{"Mcp-Protocol-Version": "2099-01-01"}, listTools, 400, "application/json", []want{{-32022, "2"}}, `"supported"`},
		{"Content-Type not JSON", map[string]string{"Content-Type": "text/plain", "Mcp-Protocol-Version": "2025-11-25"}, listTools, 415, "application/json", []want{{-32600, "null"}}, ""},
		{"nothing acceptable", map[string]string{"Accept": "text/html", "Mcp-Protocol-Version": "2025-11-25"}, listTools, 406, "application/json", []want{{-32600, "null"}}, ""},
		{"params not an object", v25, `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":42}`, 200, "application/json", []want{{-32602, "8"}}, ""},
		{"tools/call without params", v25, `{"jsonrpc":"2.0","id":8,"method":"tools/call"}`, 400, "application/json", []want{{-32600, "8"}}, ""},
		{"unknown tool", v25, `{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"no_such_tool"}}`, 200, "application/json", []want{{-32602, "8"}}, ""},
		{"id that is an object", v25, `{"jsonrpc":"2.0","id":{},"method":"ping"}`, 400, "application/json", []want{{-32600, "null"}}, ""},
		// 2026-07-28 details.
		{"Mcp-Name in base64", v26("tools/call", "=?base64?Z2V0X3NlY3VyZV9saW5r?="),
			`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_secure_link","arguments":{"uploadId":"00000000-0000-4000-8000-000000000000","email":"a@example.com"},` + meta26 + `}}`,
			200, "application/json", []want{{0, "5"}}, "No upload was found"},
		{"Mcp-Name in base64 that does not match", v26("tools/call", "=?base64?Z2VuZXJhdGVfdXBsb2FkX2xpbms=?="),
			`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_secure_link","arguments":{},` + meta26 + `}}`,
			400, "application/json", []want{{-32020, "5"}}, ""},
		{"Last-Event-ID on POST ignored", map[string]string{"Mcp-Protocol-Version": "2025-11-25", "Last-Event-ID": "abc_1"}, listTools, 200, "application/json", []want{{0, "2"}}, `"tools"`},
		{"subscriptions/listen acknowledged with nothing", v26("subscriptions/listen", ""), listen, 200, "text/event-stream", []want{{0, "3"}}, `"notifications/subscriptions/acknowledged"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := startLocal(t)
			h := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
			for k, v := range tt.headers {
				h[k] = v
			}
			status, hdr, body := l.post(t, "POST", tt.body, h)
			if status != tt.status {
				t.Errorf("got status %d, want %d; body %s", status, tt.status, body)
			}
			ct := hdr.Get("Content-Type")
			if !strings.HasPrefix(ct, tt.contentType) {
				t.Fatalf("got Content-Type %q, want %s; body %s", ct, tt.contentType, body)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body %s lacks %s", body, tt.contains)
			}
			if strings.HasPrefix(ct, "text/event-stream") {
				if hdr.Get("X-Accel-Buffering") != "no" {
					t.Errorf("got X-Accel-Buffering %q on an event stream, want no", hdr.Get("X-Accel-Buffering"))
				}
				body = lastEvent(body)
			}
			var got []rpcAnswer
			if strings.HasPrefix(strings.TrimSpace(body), "[") {
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatalf("batch answer %s: %v", body, err)
				}
			} else {
				var one rpcAnswer
				if err := json.Unmarshal([]byte(body), &one); err != nil {
					t.Fatalf("answer %s is not JSON: %v", body, err)
				}
				got = []rpcAnswer{one}
			}
			if len(got) != len(tt.answers) {
				t.Fatalf("got %d answers, want %d: %s", len(got), len(tt.answers), body)
			}
			for i, w := range tt.answers {
				a := got[i]
				if a.JSONRPC != "2.0" {
					t.Errorf("answer %d: got jsonrpc %q, want 2.0", i, a.JSONRPC)
				}
				if string(a.ID) != w.id && !(w.id == "null" && len(a.ID) == 0) {
					t.Errorf("answer %d: got id %s, want %s", i, a.ID, w.id)
				}
				code := 0
				if a.Error != nil {
					code = a.Error.Code
				}
				if code != w.code {
					t.Errorf("answer %d: got code %d, want %d: %s", i, code, w.code, body)
				}
			}
		})
	}
}

// lastEvent returns the data of the last JSON-RPC response in an event
// stream.
func lastEvent(stream string) string {
	var last string
	for _, line := range strings.Split(stream, "\n") {
		if d, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(d, `"id"`) {
			last = d
		}
	}
	return last
}

// downStore is a store that cannot be reached.
type downStore struct{ connector.Store }

func (downStore) Get(context.Context, string) (connector.Record, error) {
	return connector.Record{}, fmt.Errorf("test: get: %w", connector.ErrUnavailable)
}

func (downStore) Create(context.Context, connector.Record) error {
	return fmt.Errorf("test: create: %w", connector.ErrUnavailable)
}

// TestDependencyFailure holds a tool call whose store is down to the
// contract: a JSON-RPC error carrying the chatbot API's Unavailable
// sentence, and Retry-After on the HTTP answer, on every protocol version.
func TestDependencyFailure(t *testing.T) {
	l := startLocalWith(t, func(connector.Store) connector.Store { return downStore{} })
	const unavailable = "A service the connector depends on is unavailable; nothing was changed, please try again shortly."
	call := `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"generate_upload_link","arguments":{}%s}}`
	for _, tt := range []struct {
		name    string
		headers map[string]string
		body    string
		batch   bool
	}{
		{"2025-11-25", map[string]string{"Mcp-Protocol-Version": "2025-11-25"}, strings.Replace(call, "%s", "", 1), false},
		{"2026-07-28", map[string]string{"Mcp-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "generate_upload_link"}, strings.Replace(call, "%s", ","+meta26, 1), false},
		{"2025-03-26 batch", map[string]string{"Mcp-Protocol-Version": "2025-03-26"}, "[" + strings.Replace(call, "%s", "", 1) + "]", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
			for k, v := range tt.headers {
				h[k] = v
			}
			status, hdr, body := l.post(t, "POST", tt.body, h)
			if status != 200 {
				t.Errorf("got status %d, want 200", status)
			}
			if got := hdr.Get("Retry-After"); got != "2" {
				t.Errorf("got Retry-After %q, want 2", got)
			}
			if tt.batch {
				body = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(body), "["), "]")
			}
			var a rpcAnswer
			if err := json.Unmarshal([]byte(body), &a); err != nil {
				t.Fatalf("answer %s: %v", body, err)
			}
			if a.Error == nil || a.Error.Code != -32000 || a.Error.Message != unavailable {
				t.Errorf("got %s, want a JSON-RPC error -32000 %q", body, unavailable)
			}
		})
	}
}
