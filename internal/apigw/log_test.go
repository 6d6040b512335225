package apigw_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestLogLines runs a whole flow and reads the log: one JSON line per
// request with the Lambda request id, route, action and status, and none of
// the secrets that passed through.
func TestLogLines(t *testing.T) {
	s := newStack(t)
	s.keys.Set(connector.KeySet{ValidationKey: fixtureKey, APIToken: fixtureToken})
	auth := map[string]string{"authorization": "Bearer " + fixtureToken}
	flow := [][]byte{
		event("POST", "/", `{"action":"generateId","email":"user@example.com","conversationId":"conv-secret-ish"}`, auth),
		readEvent(t, "webhook.json"),
		event("POST", "/", `{"action":"getLink","uploadId":"`+fixtureID+`","email":"user@example.com"}`, auth),
		event("POST", "/", `{"action":"getLink","uploadId":"`+fixtureID+`","email":"intruder@example.com"}`, auth),
		event("POST", "/", `{"action":"generateId"}`, map[string]string{"authorization": "Bearer wrong-token-value"}),
		readEvent(t, "webhook-forged.json"),
	}
	for i, raw := range flow {
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-" + string(rune('a'+i))})
		if _, err := lambda.NewHandler(s.h).Invoke(ctx, raw); err != nil {
			t.Fatal(err)
		}
	}
	var lines []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(s.logs.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != len(flow) {
		t.Fatalf("got %d log lines for %d requests", len(lines), len(flow))
	}
	want := []struct {
		route, action string
		status        float64
	}{{"/", "generateId", 200}, {"/webhook", "", 200}, {"/", "getLink", 200}, {"/", "getLink", 404}, {"/", "", 401}, {"/webhook", "", 401}}
	for i, w := range want {
		l := lines[i]
		if l["requestId"] != "lambda-req-"+string(rune('a'+i)) || l["route"] != w.route || l["status"] != w.status {
			t.Errorf("line %d: %v; want route %s status %v", i, l, w.route, w.status)
		}
		if w.action != "" && l["action"] != w.action {
			t.Errorf("line %d: action %v, want %s", i, l["action"], w.action)
		}
	}
	if lines[0]["upload"] != connector.LogID(fixtureID) || lines[0]["upload"] == "" {
		t.Errorf("upload hash: got %v, want %s", lines[0]["upload"], connector.LogID(fixtureID))
	}
	ev := string(readEvent(t, "webhook.json"))
	logs := s.logs.String()
	for _, secret := range []string{fixtureID, strings.ReplaceAll(fixtureID, "-", ""), "user@example.com", "intruder@example.com",
		fixtureKey, fixtureToken, "wrong-token-value", "a2V5Y29kZWtleWNvZGVrZXljb2Rla2V5Y29kZWtleWM", "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
	if !strings.Contains(ev, "a2V5Y29kZWtleWNvZGVrZXljb2Rla2V5Y29kZWtleWM") {
		t.Fatal("the fixture lost its key code; the check above proves nothing")
	}
}

// TestAgentLogLines: a tool call over /tools/* or inside /mcp writes one
// line, naming the tool and the upload's hash, and none of the secrets.
func TestAgentLogLines(t *testing.T) {
	for _, tt := range []struct {
		name, path, body string
		headers          map[string]string
	}{
		{"rest", "/tools/get_secure_link", `{"uploadId":"` + fixtureID + `","email":"user@example.com"}`, nil},
		{"mcp", "/mcp", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_secure_link","arguments":{"uploadId":"` +
			fixtureID + `","email":"user@example.com"}}}`, map[string]string{"accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
				t.Fatal(err)
			}
			h := map[string]string{"content-type": "application/json"}
			for k, v := range tt.headers {
				h[k] = v
			}
			if resp := s.invoke(t, event("POST", tt.path, tt.body, h)); resp.StatusCode != 200 {
				t.Fatalf("got %d %s", resp.StatusCode, resp.Body)
			}
			lines := strings.Split(strings.TrimSpace(s.logs.String()), "\n")
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), s.logs.String())
			}
			var l map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
				t.Fatal(err)
			}
			if l["route"] != tt.path || l["action"] != "get_secure_link" || l["outcome"] != "pending" || l["upload"] != connector.LogID(fixtureID) {
				t.Errorf("log line %v", l)
			}
			if strings.Contains(s.logs.String(), fixtureID) || strings.Contains(s.logs.String(), fixtureEmail) {
				t.Errorf("log line holds a secret: %s", lines[0])
			}
		})
	}
}
