package lambdaentry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// fakeHTTP notes that it was handed an event.
type fakeHTTP struct{ got []byte }

func (f *fakeHTTP) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	f.got = payload
	return []byte(`{"statusCode":200}`), nil
}

func (f *fakeHTTP) ServeHTTP(http.ResponseWriter, *http.Request) {}

// entry returns an Entry whose handlers note which was called.
func entry(called *string, logs *bytes.Buffer) *lambdaentry.Entry {
	return &lambdaentry.Entry{
		HTTP: &fakeHTTP{},
		Agents: func(context.Context, []byte) ([]byte, error) {
			*called = "agents"
			return []byte(`{}`), nil
		},
		Gateway: func(_ context.Context, tool string, _ json.RawMessage) json.RawMessage {
			*called = "gateway " + tool
			return json.RawMessage(`{}`)
		},
		SQS: func(_ context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
			*called = "sqs " + ev.Records[0].MessageId
			return events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: "m2"}}}, nil
		},
		Sweep: func(context.Context) error {
			*called = "sweep"
			return nil
		},
		Scan: func(context.Context, []byte) error {
			*called = "scan"
			return nil
		},
		Log: slog.New(slog.NewJSONHandler(logs, nil)),
	}
}

const (
	httpV2  = `{"version":"2.0","rawPath":"/","body":"{\"action\":\"sweep\"}","requestContext":{"http":{"method":"POST"}}}`
	restV1  = `{"httpMethod":"POST","path":"/webhook","body":"{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}"}`
	agents  = `{"messageVersion":"1.0","agent":{"name":"a"},"actionGroup":"g","function":"f"}`
	sqs     = `{"Records":[{"messageId":"m1","eventSource":"aws:sqs","body":"x"},{"messageId":"m2","eventSource":"aws:sqs","body":"y"}]}`
	sweep   = `{"action":"sweep"}`
	unknown = `{"uploadId":"x","email":"user@example.com"}`
	s3      = `{"Records":[{"eventSource":"aws:s3"}]}`
	bridge  = `{"version":"0","source":"aws.guardduty","detail-type":"GuardDuty Malware Protection Object Scan Result","detail":{"scanStatus":"COMPLETED"}}`
	// A body that quotes an EventBridge event is still an HTTP event.
	httpBridge = `{"version":"2.0","rawPath":"/","body":"{\"source\":\"x\",\"detail-type\":\"y\",\"detail\":{}}","requestContext":{}}`
)

// s3TagsAdded is S3's documented "Object Tags Added" sample event.
func s3TagsAdded(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../s3events/testdata/object-tags-added.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestSorts: each shape reaches its handler, and only it.
func TestSorts(t *testing.T) {
	for _, tt := range []struct {
		name, raw string
		ctx       context.Context
		want      string
		wantOut   string
	}{
		{"http api", httpV2, context.Background(), "http", `{"statusCode":200}`},
		{"rest api", restV1, context.Background(), "http", `{"statusCode":200}`},
		{"bedrock agents", agents, context.Background(), "agents", `{}`},
		{"agentcore", unknown, lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
			ClientContext: lambdacontext.ClientContext{Custom: map[string]string{"bedrockAgentCoreToolName": "t___get_secure_link"}}}),
			"gateway get_secure_link", `{}`},
		{"sqs", sqs, context.Background(), "sqs m1", `{"batchItemFailures":[{"itemIdentifier":"m2"}]}`},
		{"sweep", sweep, context.Background(), "sweep", `{"result":"success"}`},
		{"eventbridge", bridge, context.Background(), "scan", `{"result":"success"}`},
		// S3's own EventBridge event (another scanner's tags), not its
		// notification to Lambda (Records), which the entry refuses.
		{"eventbridge from s3", s3TagsAdded(t), context.Background(), "scan", `{"result":"success"}`},
		{"http quoting eventbridge", httpBridge, context.Background(), "http", `{"statusCode":200}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var called string
			var logs bytes.Buffer
			e := entry(&called, &logs)
			out, err := e.Invoke(tt.ctx, []byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if h := e.HTTP.(*fakeHTTP); h.got != nil {
				called = "http"
			}
			if called != tt.want {
				t.Errorf("handed to %q, want %q", called, tt.want)
			}
			if string(out) != tt.wantOut {
				t.Errorf("got %s, want %s", out, tt.wantOut)
			}
		})
	}
}

// TestRefuses: an event of no known shape, or of a shape whose handler is
// not set, is one error line in the log and a Lambda error, never an HTTP
// answer.
func TestRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, raw string
		unset     func(e *lambdaentry.Entry)
		shape     string
	}{
		{"tool arguments without client context", unknown, nil, "unknown"},
		{"s3 records", s3, nil, "unknown"},
		{"array", `[1,2]`, nil, "unknown"},
		{"not json", `hello`, nil, "unknown"},
		{"sqs without handler", sqs, func(e *lambdaentry.Entry) { e.SQS = nil }, "sqs"},
		{"sweep without handler", sweep, func(e *lambdaentry.Entry) { e.Sweep = nil }, "sweep"},
		{"agents without handler", agents, func(e *lambdaentry.Entry) { e.Agents = nil }, "bedrock-agents"},
		{"eventbridge without handler", bridge, func(e *lambdaentry.Entry) { e.Scan = nil }, "eventbridge"},
		{"detail not an object", `{"source":"a","detail-type":"b","detail":"c"}`, nil, "unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var called string
			var logs bytes.Buffer
			e := entry(&called, &logs)
			if tt.unset != nil {
				tt.unset(e)
			}
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-1"})
			out, err := e.Invoke(ctx, []byte(tt.raw))
			if !errors.Is(err, lambdaentry.ErrUnknownEvent) || out != nil {
				t.Fatalf("got %s, %v; want no answer and ErrUnknownEvent", out, err)
			}
			if called != "" || e.HTTP.(*fakeHTTP).got != nil {
				t.Errorf("handed to %q", called)
			}
			var line map[string]any
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			if line["level"] != "ERROR" || line["shape"] != tt.shape || line["requestId"] != "req-1" || line["error"] == nil {
				t.Errorf("log line %v, want an error line for shape %s", line, tt.shape)
			}
			if strings.Contains(logs.String(), "user@example.com") {
				t.Errorf("log line holds the event: %s", logs.String())
			}
		})
	}
}
