package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/tools"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

var update = flag.Bool("update", false, "rewrite the golden answers in testdata/golden")

// The fixed values of testdata/events (see its README).
const (
	fixtureID    = connectortest.FixtureID
	fixtureEmail = connectortest.FixtureEmail
)

// Starting states of the store for an event.
const (
	empty     = iota // nothing stored
	open             // the fixture upload exists, bound to its email
	submitted        // ... and the fixture webhook was accepted
)

// memoryEntry is the function's entry on in-memory parts at the fixtures'
// time, handing out the fixture upload id first.
func memoryEntry(t *testing.T, logs *bytes.Buffer) (*lambdaentry.Entry, *connector.Service) {
	t.Helper()
	ce := connectortest.New(t, connectortest.WithIDs(connectortest.FixtureIDs()))
	clk, svc := ce.Clock, ce.Svc
	var lw bytes.Buffer
	if logs == nil {
		logs = &lw
	}
	e, err := wiring.NewEntry(svc, apigw.Options{AllowedOrigins: []string{"https://files.sendsafely.com"},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), Now: clk.Now}, tools.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e, svc
}

func invoke(t *testing.T, e *lambdaentry.Entry, ctx context.Context, raw []byte) []byte {
	t.Helper()
	out, err := e.Invoke(ctx, raw)
	if err != nil {
		t.Fatalf("invoke: %v", err)
	}
	return out
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gatewayContext is the context of an AgentCore Gateway invocation of a
// tool through a target called "connector".
func gatewayContext(tool string) context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "agentcore-req",
		ClientContext: lambdacontext.ClientContext{Custom: map[string]string{
			"bedrockAgentCoreToolName": "connector___" + tool, "bedrockAgentCoreGatewayId": "gw-123", "bedrockAgentCoreTargetId": "tg-456",
			"bedrockAgentCoreMessageVersion": "1.0",
		}}})
}

// TestPlatformEvents replays the Bedrock Agents and AgentCore Gateway
// events of testdata/events through the function's entry and compares the
// answers with their golden files. testdata/events holds an AgentCore
// event as the gateway sends it, the tool's arguments alone; the tool's
// name travels in the client context, set here.
func TestPlatformEvents(t *testing.T) {
	cases := map[string]struct {
		state int
		tool  string // AgentCore: the tool in the client context
		want  string // a fragment of the answer
	}{
		"bedrock-agent-openapi-generate.json":         {empty, "", `"httpStatusCode":200`},
		"bedrock-agent-openapi-get-secure-link.json":  {submitted, "", `\"status\":\"Ready\"`},
		"bedrock-agent-openapi-unknown-upload.json":   {open, "", `"httpStatusCode":404`},
		"bedrock-agent-function-generate.json":        {empty, "", `\"uploadId\":\"` + fixtureID},
		"bedrock-agent-function-get-secure-link.json": {submitted, "", `\"status\":\"Ready\"`},
		"bedrock-agent-function-pending.json":         {open, "", `\"status\":\"Pending\"`},
		"bedrock-agent-function-bad-wait.json":        {open, "", `"responseState":"REPROMPT"`},
		"bedrock-agent-function-unknown-tool.json":    {empty, "", `"responseState":"REPROMPT"`},
		"agentcore-generate-upload-link.json":         {empty, "generate_upload_link", `"uploadId":"` + fixtureID},
		"agentcore-get-secure-link.json":              {submitted, "get_secure_link", `"status":"Ready"`},
		"agentcore-unknown-upload.json":               {open, "get_secure_link", `"Error":"NotFound"`},
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "events", "*.json"))
	var platform int
	for _, f := range files {
		name := filepath.Base(f)
		if !isPlatformEvent(name) {
			continue
		}
		platform++
		tt, ok := cases[name]
		if !ok {
			t.Errorf("no case for %s", name)
			continue
		}
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			e, svc := memoryEntry(t, nil)
			if tt.state >= open {
				if _, err := svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.state >= submitted {
				out := invoke(t, e, context.Background(), readEvent(t, "webhook.json"))
				if !bytes.Contains(out, []byte(`"statusCode":200`)) {
					t.Fatalf("setup webhook: %s", out)
				}
			}
			ctx := context.Background()
			if tt.tool != "" {
				ctx = gatewayContext(tt.tool)
			}
			out := invoke(t, e, ctx, readEvent(t, name))
			if !bytes.Contains(out, []byte(tt.want)) {
				t.Errorf("answer lacks %s:\n%s", tt.want, out)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, out, "", "  "); err != nil {
				t.Fatalf("answer is not JSON: %v\n%s", err, out)
			}
			buf.WriteByte('\n')
			golden := filepath.Join("..", "..", "testdata", "golden", name)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/connector -run TestPlatformEvents -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
	if platform != len(cases) {
		t.Errorf("%d platform event files but %d cases", platform, len(cases))
	}
}

// isPlatformEvent reports whether a file of testdata/events is a Bedrock
// Agents or AgentCore event rather than an HTTP one.
func isPlatformEvent(name string) bool {
	return strings.HasPrefix(name, "bedrock-") || strings.HasPrefix(name, "agentcore-")
}

// TestHTTPEventsStayHTTP: every HTTP event of testdata/events reaches the
// HTTP handler, whatever its body holds, and no Bedrock event does.
func TestHTTPEventsStayHTTP(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "events", "*.json"))
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "agentcore-") {
			continue // any JSON object; told apart by its client context alone
		}
		t.Run(name, func(t *testing.T) {
			e, _ := memoryEntry(t, nil)
			var resp struct {
				StatusCode     *int   `json:"statusCode"`
				MessageVersion string `json:"messageVersion"`
			}
			if err := json.Unmarshal(invoke(t, e, context.Background(), readEvent(t, name)), &resp); err != nil {
				t.Fatal(err)
			}
			if got, want := resp.StatusCode != nil, !isPlatformEvent(name); got != want {
				t.Errorf("answered as HTTP: %v, want %v", got, want)
			}
			if got, want := resp.MessageVersion == "1.0", strings.HasPrefix(name, "bedrock-agent-"); got != want {
				t.Errorf("answered as Bedrock Agents: %v, want %v", got, want)
			}
		})
	}
}

// TestGatewayNeedsTheClientContext: the same arguments without the
// gateway's client context are not taken for a tool call. They have no
// shape the function takes, so the entry logs an error and fails the
// invocation (it used to answer them as an HTTP GET / with a 405).
func TestGatewayNeedsTheClientContext(t *testing.T) {
	var logs bytes.Buffer
	e, _ := memoryEntry(t, &logs)
	out, err := e.Invoke(context.Background(), readEvent(t, "agentcore-generate-upload-link.json"))
	if !errors.Is(err, lambdaentry.ErrUnknownEvent) || out != nil {
		t.Errorf("arguments with no client context: %s, %v; want no answer and ErrUnknownEvent", out, err)
	}
	if !strings.Contains(logs.String(), `"level":"ERROR"`) || strings.Contains(logs.String(), fixtureEmail) {
		t.Errorf("log: %s; want one error line without the event's content", logs.String())
	}
}

// TestPlatformLogLines: a Bedrock or AgentCore invocation writes one log
// line, with the Lambda request id and the tool, and no email.
func TestPlatformLogLines(t *testing.T) {
	var logs bytes.Buffer
	e, _ := memoryEntry(t, &logs)
	invoke(t, e, gatewayContext("generate_upload_link"), readEvent(t, "agentcore-generate-upload-link.json"))
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs.String())
	}
	var l map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil {
		t.Fatal(err)
	}
	if l["requestId"] != "agentcore-req" || l["action"] != "generate_upload_link" || l["status"] != 200.0 || l["upload"] != connector.LogID(fixtureID) {
		t.Errorf("log line %v", l)
	}
	if strings.Contains(logs.String(), fixtureEmail) || strings.Contains(logs.String(), fixtureID) {
		t.Errorf("log line holds a secret: %s", lines[0])
	}
}
