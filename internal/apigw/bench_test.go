package apigw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// BenchmarkHandler measures one warm invocation of each route as the
// runtime makes it: the raw API Gateway event (a full HTTP API payload, as
// in testdata/events) decoded, served with in-memory fakes for DynamoDB,
// SNS and Secrets Manager, the response encoded, and the JSON log line
// written (to io.Discard). It is what a warm function spends in Go, apart
// from the AWS round trips. docs/performance.md records its results.
func BenchmarkHandler(b *testing.B) {
	b.Run("generateId", func(b *testing.B) {
		w := newWarm(b)
		raw := w.chatEvent(b, `{"action":"generateId","email":"customer@example.com","conversationId":"chat-123"}`)
		w.run(b, func(int) []byte { return raw }, 200)
	})
	b.Run("getLink", func(b *testing.B) {
		w := newWarm(b)
		id := w.upload(b)
		w.submit(b, id, "PKG-1")
		raw := w.chatEvent(b, `{"action":"getLink","uploadId":"`+id+`","email":"customer@example.com"}`)
		w.run(b, func(int) []byte { return raw }, 200)
	})
	b.Run("webhook", func(b *testing.B) {
		// Every call is a first delivery (store, publish, mark published):
		// one open upload per call, made before the timer starts.
		w := newWarm(b)
		events := make([][]byte, b.N)
		for i := range events {
			events[i] = w.webhookEvent(b, w.upload(b), "PKG-1")
		}
		w.run(b, func(i int) []byte { return events[i] }, 200)
	})
	b.Run("webhook-repeat", func(b *testing.B) {
		w := newWarm(b)
		raw := w.webhookEvent(b, w.upload(b), "PKG-1")
		w.invoke(b, raw, 200)
		w.run(b, func(int) []byte { return raw }, 200)
	})
}

// warm is a handler on the real service with in-memory parts, configured
// as a deployment is: an API token, a validation key, a JSON log.
type warm struct {
	h     lambda.Handler
	svc   *connector.Service
	now   time.Time
	tmpl  map[string]json.RawMessage // testdata/events/webhook.json
	token string
	key   string
}

func newWarm(b *testing.B) *warm {
	b.Helper()
	w := &warm{now: fixtureNow, token: fixtureToken, key: fixtureKey}
	e := connectortest.New(b, connectortest.WithKeys(connector.KeySet{ValidationKey: connector.Secret(w.key), APIToken: connector.Secret(w.token)}),
		connectortest.WithPublisher(connectortest.Discard{}), connectortest.WithIDs(connectortest.RandomIDs), connectortest.WithNow(w.now))
	clk, svc := e.Clock, e.Svc
	w.svc = svc
	w.h = lambda.NewHandler(apigw.New(svc, apigw.Options{
		AllowedOrigins: []string{"https://files.sendsafely.com", "https://acme.sendsafely.com"},
		Logger:         slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Now:            clk.Now,
	}))
	if err := json.Unmarshal(readEvent(b, "webhook.json"), &w.tmpl); err != nil {
		b.Fatal(err)
	}
	return w
}

// run invokes event(i) b.N times, checking every status. Beside ns/op it
// reports cpu-ns/op, the process's CPU time per call (the garbage
// collector's included), which unlike wall time does not grow when other
// work shares the cores.
func (w *warm) run(b *testing.B, event func(i int) []byte, status int) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		w.invoke(b, event(i), status)
	}
	if cpu = cpuTime() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

var benchCtx = lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "bench-request-id"})

func (w *warm) invoke(b *testing.B, raw []byte, status int) {
	out, err := w.h.Invoke(benchCtx, raw)
	if err != nil {
		b.Fatal(err)
	}
	var resp struct {
		StatusCode int `json:"statusCode"`
	}
	// A prefix check is enough and keeps the check out of the figures.
	want := fmt.Sprintf(`{"statusCode":%d,`, status)
	if len(out) < len(want) || string(out[:len(want)]) != want {
		_ = json.Unmarshal(out, &resp)
		b.Fatalf("got status %d, want %d: %s", resp.StatusCode, status, out)
	}
}

// event returns the webhook.json event with another path, headers and body.
func (w *warm) event(b *testing.B, path string, headers map[string]string, body string) []byte {
	b.Helper()
	ev := make(map[string]json.RawMessage, len(w.tmpl))
	for k, v := range w.tmpl {
		ev[k] = v
	}
	for k, v := range map[string]any{"rawPath": path, "routeKey": "POST " + path, "headers": headers, "body": body} {
		raw, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		ev[k] = raw
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

func (w *warm) chatEvent(b *testing.B, body string) []byte {
	return w.event(b, "/", map[string]string{
		"content-type": "application/json", "host": "abc123.execute-api.us-east-1.amazonaws.com",
		"user-agent": "chatbot/1.0", "authorization": "Bearer " + w.token,
	}, body)
}

func (w *warm) webhookEvent(b *testing.B, uploadID, packageID string) []byte {
	form := dropzone.Form(dropzone.Payload{UploadID: uploadID, Email: "customer@example.com", PackageID: packageID,
		PackageCode: "pc-" + packageID, DropzoneID: "DROPZONE", SubmittedAt: w.now.Add(-time.Minute).Format(time.RFC3339)},
		[]byte(w.key), "acme.sendsafely.com", "a2V5Y29kZWtleWNvZGVrZXljb2Rla2V5Y29kZWtleWM")
	return w.event(b, "/webhook", map[string]string{
		"content-type": "application/x-www-form-urlencoded", "host": "abc123.execute-api.us-east-1.amazonaws.com",
		"user-agent": "Mozilla/5.0", "origin": "https://files.sendsafely.com",
	}, form.Encode())
}

// upload creates an open upload bound to the benchmark's email.
func (w *warm) upload(b *testing.B) string {
	b.Helper()
	up, err := w.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: "customer@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	return up.ID
}

// submit stores a package for the upload through the webhook.
func (w *warm) submit(b *testing.B, uploadID, packageID string) {
	b.Helper()
	w.invoke(b, w.webhookEvent(b, uploadID, packageID), 200)
}
